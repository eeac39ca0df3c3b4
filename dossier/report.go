package dossier

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/coopdescommuns/revue/review"
)

// WriteReportHTML writes `revue report`'s figures as one self-contained
// page for the researcher, with the plots drawn here as inline SVG: no
// script, no request to any server, readable offline and printable. The
// figures are review.Report's, never recomputed, so the page and the
// terminal report always agree.
func WriteReportHTML(w io.Writer, f review.Figures, lang string) error {
	if lang != "en" {
		lang = "fr"
	}
	r := &reportPage{lang: lang, f: f, b: bufio.NewWriterSize(w, 32<<10)}
	r.write()
	return r.b.Flush()
}

type reportPage struct {
	lang string
	f    review.Figures
	b    *bufio.Writer
}

func (r *reportPage) t(fr, en string) string { return pick(r.lang, fr, en) }

func (r *reportPage) p(format string, args ...any) { fmt.Fprintf(r.b, format, args...) }

func (r *reportPage) n(x int) string { return review.FormatInt(r.lang, int64(x)) }

// c writes a count and its noun in agreement with it (review.FormatCount).
func (r *reportPage) c(x int, frOne, frMany, enOne, enMany string) string {
	return review.FormatCount(r.lang, x, frOne, frMany, enOne, enMany)
}

// The plots' colours: dark enough on white for their labels, told apart
// by lightness too, so that a grey print still reads.
const (
	colKept      = "#1b4a80"
	colRephrased = "#5b8fd1"
	colRejected  = "#a8402f"
	colPending   = "#c8c8c8"
)

const reportCSS = `
body { margin: 0; font: 16px/1.5 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1a1a1a; background: #fff; }
header, main, footer { max-width: 52rem; margin: 0 auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 1.5rem 0 .3rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 2px solid #1b4a80; }
p, li, td, th { overflow-wrap: anywhere; }
.note { color: #4a4a4a; font-size: .9rem; }
svg { display: block; width: 100%; height: auto; max-width: 44rem; }
.chart { overflow-x: auto; max-width: 100%; }
.chart svg { min-width: 34rem; }
svg text { font: 12px "DejaVu Sans", "Liberation Sans", Arial, sans-serif; fill: #1a1a1a; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: .5rem 0; font-size: .9rem; }
th, td { border: 1px solid #c8c8c8; padding: .25rem .5rem; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; }
dt { font-weight: bold; } dd { margin: 0; }
@media (max-width: 30rem) { dl { grid-template-columns: 1fr; } }
@page { size: A4; margin: 16mm; }
@media print { section { break-inside: avoid; } header, main, footer { max-width: none; } }
`

func (r *reportPage) write() {
	e := html.EscapeString
	f := r.f
	title := r.t("Chiffres de la séance ", "Figures of the session ") + clean(f.Session)
	r.p("<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", r.lang)
	r.p("<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n<h1>%s</h1>\n", e(title), reportCSS, e(title))
	r.p("<p class=\"note\">%s</p>\n</header>\n<main>\n", e(r.t(
		"Les mêmes chiffres que « revue report », en figures. Un vote est celui d'un participant ; une décision, le sceau de l'animation : ils ne sont jamais additionnés.",
		"The same figures as `revue report`, as plots. A vote is a participant's; a decision is the facilitator's seal: they are never added up.")))

	decided := f.Accepted + f.Rejected + f.Rephrased
	r.p("<section>\n<h2>%s</h2>\n<dl>\n", e(r.t("La séance", "The session")))
	for _, kv := range [][2]string{
		{"Corpus", r.c(f.Documents, "document", "documents", "document", "documents") + ", " + r.c(f.Criteria, "critère", "critères", "criterion", "criteria")},
		{r.t("Avancement", "Progress"), r.n(decided) + " / " + r.n(f.Proposals) + " (" + review.FormatPct(r.lang, decided, f.Proposals) + ")"},
		{r.t("Votes et décisions", "Votes and decisions"), r.c(f.Votes, "vote de participant", "votes de participants", "participant's vote", "participants' votes") +
			r.t(" ; ", "; ") + r.c(f.Decisions, "décision de l'animation", "décisions de l'animation", "facilitator's decision", "facilitator's decisions")},
		{r.t("Personnes", "People"), r.n(f.People) + r.t(" ; retirées : ", "; withdrawn: ") + r.n(f.Withdrawn)},
		{r.t("Calcul", "Compute"), r.c(f.Calls, "appel au modèle", "appels au modèle", "model call", "model calls") + ", " +
			review.FormatCount(r.lang, f.Tokens, "token", "tokens", "token", "tokens") + ", " +
			review.FormatDuration(f.ModelTime) + ", " + review.FormatFloat(r.lang, f.EnergyWh, 2) + "\u202fWh " + r.energyWord()},
	} {
		r.p("<dt>%s</dt><dd>%s</dd>\n", e(kv[0]), e(kv[1]))
	}
	r.p("</dl>\n</section>\n")

	legend := []segment{{r.t("acceptées", "accepted"), colKept}, {r.t("reformulées", "rephrased"), colRephrased},
		{r.t("rejetées", "rejected"), colRejected}, {r.t("en attente", "pending"), colPending}}

	var origins []barRow
	for _, k := range []string{review.OriginModel, review.OriginLexical, review.OriginHuman, review.OriginExample} {
		if o, ok := f.ByOrigin[k]; ok {
			origins = append(origins, barRow{label: k, values: []int{o.Kept - o.Rephrased, o.Rephrased, o.Decided - o.Kept, o.Proposals - o.Decided}})
		}
		if o, ok := f.Negatives[k]; ok {
			origins = append(origins, barRow{label: k + r.t(" « pas de lien »", " “no link”"), values: []int{o.Kept - o.Rephrased, o.Rephrased, o.Decided - o.Kept, o.Proposals - o.Decided}})
		}
	}
	r.section(r.t("Acceptation par origine", "Acceptance by origin"),
		r.t("Part des propositions de chaque origine que l'animation a scellées acceptées, reformulées ou rejetées, ou qui attendent. Les « pas de lien » sont les réponses négatives du modèle échantillonnées et montrées au groupe.",
			"Share of each origin's proposals the facilitator sealed accepted, rephrased or rejected, or still pending. “No link” rows are the model's negative answers, sampled and shown to the group."),
		stackedBars(r.t("Acceptation par origine", "Acceptance by origin"), origins, legend, r.lang))

	var crits []barRow
	for _, c := range f.ByCriterion {
		crits = append(crits, barRow{label: c.Criterion, values: []int{c.Accepted, c.Rephrased, c.Rejected, c.Pending}})
	}
	r.section(r.t("Acceptation par critère", "Acceptance by criterion"), "",
		stackedBars(r.t("Acceptation par critère", "Acceptance by criterion"), crits, legend, r.lang))

	alphas := []ciRow{{label: r.t("séance", "session"), c: f.Reliability.Alpha}}
	for _, a := range f.PerCriterion {
		alphas = append(alphas, ciRow{label: a.Criterion, c: a.Alpha})
	}
	r.section(r.t("Accord : alpha de Krippendorff par critère", "Agreement: Krippendorff's alpha per criterion"),
		r.t("Alpha nominal sur les votes en vigueur des participants, avec son intervalle à 95 % (bootstrap sur les propositions, 1 000 tirages, graine fixe). Les lignes pointillées marquent 0,667 et 0,8, les seuils usuels.",
			"Nominal alpha over the participants' votes in force, with its 95% interval (bootstrap over proposals, 1,000 draws, fixed seed). Dotted lines mark 0.667 and 0.8, the usual thresholds."),
		intervals(r.t("Alpha de Krippendorff par critère", "Krippendorff's alpha per criterion"), alphas, r.lang))

	var times []timeRow
	for _, p := range f.Persons {
		if p.ToVoteN > 0 {
			times = append(times, timeRow{label: p.Person, d: p.MedianToVote, n: p.ToVoteN})
		}
	}
	r.section(r.t("Temps de la première vue au vote", "Time from first seen to vote"),
		r.t("Médiane, par personne, du temps entre la première apparition d'une proposition à son écran et son vote en vigueur.", "Median, per person, of the time from a proposal's first appearance on their screen to their vote in force.")+r.dwell(),
		timeBars(r.t("Temps de la première vue au vote", "Time from first seen to vote"), times, r.lang))

	r.p("<section>\n<h2>%s</h2>\n<p class=\"note\">%s</p>\n", e(r.t("La machine et le groupe", "The machine and the group")), e(r.t(
		"Une proposition est la machine qui dit « lien », un négatif échantillonné la machine qui dit « pas de lien » ; le groupe dit « lien » en acceptant ou reformulant, « pas de lien » en rejetant. Les liens en attente ne comptent pas.",
		"A proposal is the machine saying “link”, a sampled negative the machine saying “no link”; the group says “link” by accepting or rephrasing, “no link” by rejecting. Pending links are left out.")))
	if len(f.HumanAI) == 0 {
		r.p("<p>%s</p>\n", e(r.t("Aucune proposition de machine n'a été décidée.", "No machine proposal was decided.")))
	}
	for _, h := range f.HumanAI {
		r.p("<div class=\"scroll\">\n<table>\n<caption>%s</caption>\n", e(r.t("Origine ", "Origin ")+h.Origin))
		r.p("<tr><td></td><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr>\n", e(r.t("groupe : lien", "group: link")), e(r.t("groupe : pas de lien", "group: no link")))
		r.p("<tr><th scope=\"row\">%s</th><td class=\"n\">%d</td><td class=\"n\">%d</td></tr>\n", e(r.t("machine : lien", "machine: link")), h.BothLink, h.MachineOnly)
		r.p("<tr><th scope=\"row\">%s</th><td class=\"n\">%d</td><td class=\"n\">%d</td></tr>\n", e(r.t("machine : pas de lien", "machine: no link")), h.GroupOnly, h.NeitherLink)
		r.p("</table>\n</div>\n<ul>\n")
		for _, kv := range [][2]string{
			{r.t("accord", "agreement"), review.FormatCoef(r.lang, h.Agreement)},
			{r.t("kappa de Cohen", "Cohen's kappa"), review.FormatCoef(r.lang, h.Kappa)},
			{r.t("liens gardés parmi ceux proposés", "links kept among those proposed"), review.FormatCoef(r.lang, h.Kept)},
			{r.t("liens trouvés parmi les « pas de lien »", "links found among the “no link”"), review.FormatCoef(r.lang, h.Missed)},
		} {
			r.p("<li>%s%s%s</li>\n", e(kv[0]), r.t(" : ", ": "), e(kv[1]))
		}
		r.p("</ul>\n")
	}
	r.p("</section>\n</main>\n<footer>\n<p class=\"note\">%s</p>\n</footer>\n</body>\n</html>\n",
		e(r.t("Écrit par Revue à partir de la trace de la séance.", "Written by Revue from the session's trace.")))
}

// dwell sums up the time on screen before each vote, when it was recorded.
func (r *reportPage) dwell() string {
	if r.f.DwellN == 0 {
		return ""
	}
	return r.t(" Temps à l'écran avant chaque vote : médiane ", " Time on screen before each vote: median ") + review.FormatDuration(r.f.DwellP50) +
		", p90 " + review.FormatDuration(r.f.DwellP90) + " (n = " + r.n(r.f.DwellN) + ")."
}

func (r *reportPage) energyWord() string {
	switch {
	case r.f.Energy.Measured:
		return r.t("mesurés", "measured")
	case r.f.Energy.Partly:
		return r.t("en partie estimés", "partly estimated")
	}
	return r.t("estimés", "estimated")
}

// section writes a titled figure with its note.
func (r *reportPage) section(title, note, svg string) {
	e := html.EscapeString
	r.p("<section>\n<h2>%s</h2>\n", e(title))
	if note != "" {
		r.p("<p class=\"note\">%s</p>\n", e(note))
	}
	// A phone's 375 px would shrink the plot's 12 px labels to 7 px:
	// below 34rem the plot keeps its size and scrolls sideways instead.
	r.p("<div class=\"chart\" tabindex=\"0\" role=\"region\" aria-label=\"%s\">%s</div>\n</section>\n", e(title), svg)
}

// The plots. Each is an SVG scaled to its container (a viewBox and a
// width of 100 %), with a title and a description for screen readers and
// every number written beside its mark, so nothing has to be guessed from
// a length.

const (
	plotW   = 640
	labelW  = 150
	valueW  = 170
	rowH    = 26
	barArea = plotW - labelW - valueW
)

type segment struct{ name, color string }

type barRow struct {
	label  string
	values []int
}

func svgOpen(b *strings.Builder, title string, height int) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s"><title>%s</title>`,
		plotW, height, html.EscapeString(title), html.EscapeString(title))
}

// clip shortens a label to fit its column.
func clip(s string, max int) string {
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}

// stackedBars draws one bar per row (accepted, rephrased, rejected,
// pending), its segments in proportion of the row's total, with the share
// kept among the decided and the total beside it.
func stackedBars(title string, rows []barRow, legend []segment, lang string) string {
	var b strings.Builder
	if len(rows) == 0 {
		return "<p>" + html.EscapeString(pick(lang, "Aucune proposition.", "No proposal.")) + "</p>"
	}
	h := 30 + len(rows)*rowH + 10
	svgOpen(&b, title, h)
	x := labelW
	for _, s := range legend {
		fmt.Fprintf(&b, `<rect x="%d" y="6" width="12" height="12" fill="%s"/><text x="%d" y="16">%s</text>`, x, s.color, x+16, html.EscapeString(s.name))
		x += 16 + 8*len([]rune(s.name)) + 14
	}
	for i, row := range rows {
		y := 30 + i*rowH
		total := 0
		for _, v := range row.values {
			total += v
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, labelW-8, y+15, html.EscapeString(clip(clean(row.label), 24)))
		pos := 0.0
		for j, v := range row.values {
			if total == 0 || v == 0 {
				continue
			}
			wd := float64(barArea) * float64(v) / float64(total)
			fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="18" fill="%s"><title>%s%s%d</title></rect>`,
				float64(labelW)+pos, y+2, wd, legend[j].color, html.EscapeString(legend[j].name), pick(lang, "\u00a0: ", ": "), v)
			pos += wd
		}
		if total == 0 {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="18" fill="none" stroke="%s"/>`, labelW, y+2, barArea, colPending)
		}
		// Kept among decided, as the terminal report says it.
		kept, decided := row.values[0]+row.values[1], row.values[0]+row.values[1]+row.values[2]
		label := review.FormatPct(lang, kept, decided) + " " + pick(lang, "gardées sur", "kept of") + " " + strconv.Itoa(decided)
		if decided == 0 {
			// Nothing decided: no share to give, rather than "undefined kept of 0".
			label = pick(lang, "aucune décidée", "none decided yet")
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s, n = %d</text>`, labelW+barArea+6, y+15, html.EscapeString(label), total)
	}
	b.WriteString("</svg>")
	return b.String()
}

type ciRow struct {
	label string
	c     review.Coefficient
}

// intervals draws each coefficient as a dot on a −1 to 1 axis, with its
// interval as a line, and writes it in words beside.
func intervals(title string, rows []ciRow, lang string) string {
	var b strings.Builder
	h := 20 + len(rows)*rowH + 30
	svgOpen(&b, title, h)
	x := func(v float64) float64 {
		v = math.Max(-1, math.Min(1, v))
		return float64(labelW) + (v+1)/2*float64(barArea)
	}
	top, bottom := 10, 20+len(rows)*rowH
	for _, t := range []float64{-1, -0.5, 0, 0.5, 1} {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#d0d0d0"/><text x="%.1f" y="%d" text-anchor="middle">%s</text>`,
			x(t), x(t), top, bottom, x(t), bottom+16, review.FormatFloat(lang, t, 1))
	}
	for _, t := range []float64{2.0 / 3, 0.8} {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#6a6a6a" stroke-dasharray="3 3"/>`, x(t), x(t), top, bottom)
	}
	for i, row := range rows {
		y := 20 + i*rowH + 9
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, labelW-8, y+4, html.EscapeString(clip(clean(row.label), 24)))
		words := review.FormatCoef(lang, row.c)
		if row.c.Defined {
			if row.c.CI {
				fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="%s" stroke-width="3"/>`, x(row.c.Lo), x(row.c.Hi), y, y, colRephrased)
			}
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%d" r="5" fill="%s"><title>%s</title></circle>`, x(row.c.Value), y, colKept, html.EscapeString(words))
			words = review.FormatFloat(lang, row.c.Value, 2)
		} else {
			words = pick(lang, "non défini", "undefined")
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s (n = %d)</text>`, labelW+barArea+6, y+4, html.EscapeString(words), row.c.N)
	}
	b.WriteString("</svg>")
	return b.String()
}

type timeRow struct {
	label string
	d     time.Duration
	n     int
}

// timeBars draws each person's median time to vote as a bar, on a scale
// of the longest.
func timeBars(title string, rows []timeRow, lang string) string {
	if len(rows) == 0 {
		return "<p>" + html.EscapeString(pick(lang, "Aucun vote après une première vue enregistrée.", "No vote after a recorded first view.")) + "</p>"
	}
	var b strings.Builder
	svgOpen(&b, title, 10+len(rows)*rowH+10)
	var top time.Duration
	for _, r := range rows {
		top = max(top, r.d)
	}
	for i, r := range rows {
		y := 10 + i*rowH
		wd := 0.0
		if top > 0 {
			wd = float64(barArea) * float64(r.d) / float64(top)
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, labelW-8, y+15, html.EscapeString(clip(clean(r.label), 24)))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="18" fill="%s"/>`, labelW, y+2, wd, colKept)
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s (n = %d)</text>`, labelW+barArea+6, y+15, html.EscapeString(review.FormatDuration(r.d)), r.n)
	}
	b.WriteString("</svg>")
	return b.String()
}

func pick(lang, fr, en string) string {
	if lang == "en" {
		return en
	}
	return frenchSpaces.Replace(fr)
}

// frenchSpaces makes the spaces French typography puts inside guillemets and
// before a colon or a semicolon no-break ones: a narrow page broke
// « pas de lien » before its closing guillemet.
var frenchSpaces = strings.NewReplacer("« ", "«\u00a0", " »", "\u00a0»", " : ", "\u00a0: ", " ;", "\u00a0;")
