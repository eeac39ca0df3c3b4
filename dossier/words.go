package dossier

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/coopdescommuns/revue/review"
)

// The dossier's sentences, in French first and English, shared by every
// format so that the HTML, the Markdown and the ODT say the same thing.

func (d *Dossier) t(fr, en string) string {
	if d.Lang == "en" {
		return en
	}
	return fr
}

func (d *Dossier) n(x int) string { return review.FormatInt(d.Lang, int64(x)) }

// plural writes n and its noun as review.FormatCount does: the singular
// for 0 and 1 in French, 1 only in English.
func (d *Dossier) plural(n int, frOne, frMany, enOne, enMany string) string {
	return review.FormatCount(d.Lang, n, frOne, frMany, enOne, enMany)
}

var monthsFR = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

func (d *Dossier) date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t = t.UTC()
	if d.Lang == "en" {
		return t.Format("2 January 2006")
	}
	day := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return day + " " + monthsFR[t.Month()-1] + " " + fmt.Sprint(t.Year())
}

// quote puts a text in the language's quotation marks.
func (d *Dossier) quote(s string) string {
	if d.Lang == "en" {
		return "“" + s + "”"
	}
	return "«\u00a0" + s + "\u00a0»"
}

func (d *Dossier) title() string {
	return d.t("Dossier de la séance ", "Dossier of the session ") + d.Session
}

// where says where a link's passage is: page or section.
func (d *Dossier) where(l Link) string {
	var parts []string
	if l.Page > 0 {
		parts = append(parts, "p.\u00a0"+fmt.Sprint(l.Page))
	}
	if l.Section != "" {
		parts = append(parts, "section "+d.quote(l.Section))
	}
	return strings.Join(parts, ", ")
}

// source is the citation of a link's document: title, place, source.
func (d *Dossier) source(l Link) string {
	if l.Doc == nil {
		return ""
	}
	s := l.Doc.Title
	if w := d.where(l); w != "" {
		s += ", " + w
	}
	if l.Doc.Source != "" && l.Doc.Source != l.Doc.Title {
		s += " — " + l.Doc.Source
	}
	return s
}

// origin names who proposed a link.
func (d *Dossier) origin(o review.Origin) string {
	switch o.Kind {
	case review.OriginModel:
		return d.t("le modèle ", "the model ") + o.Name
	case review.OriginLexical:
		return d.t("le proposeur lexical (sans modèle)", "the lexical proposer (no model)")
	case review.OriginExample:
		return d.t("l'exemple écrit à la main", "the hand-written example")
	}
	return d.t("une personne", "a person")
}

// how says how the group came to keep (or reject) a link.
func (d *Dossier) how(l Link) string {
	if l.Status == review.Rejected {
		s := d.t("Rejeté par le groupe", "Rejected by the group")
		if l.Reason != "" {
			s += " (" + d.reason(l.Reason)
			if l.Note != "" {
				s += d.colon() + l.Note
			}
			s += ")"
		}
		return s + "."
	}
	var s string
	switch l.How {
	case Created:
		s = d.t("Lien créé pendant la séance par ", "Link created during the session by ")
		if l.Origin.Name != "" {
			s += l.Origin.Name
		} else {
			s += d.t("une personne du groupe", "a member of the group")
		}
		s += "."
	case Reworded:
		s = d.t("Le groupe a reformulé l'énoncé proposé par ", "The group reworded the statement proposed by ") + d.origin(l.Origin)
		if l.WordingBy != "" {
			s += d.t(" (formulation de ", " (wording by ") + l.WordingBy + ")"
		}
		s += "."
	default:
		s = d.t("Le groupe a accepté l'énoncé tel que proposé par ", "The group accepted the statement as proposed by ") + d.origin(l.Origin) + "."
	}
	if l.Negative {
		s += d.t(" Le modèle avait répondu « pas de lien » : le groupe en a vu un.", " The model had answered “no link”: the group saw one.")
	}
	return s
}

// votes counts the participants' votes in force, never the seal.
func (d *Dossier) votes(l Link) string {
	if l.Voters == 0 {
		return d.t("Aucun vote de participant ; décision de l'animation", "No participant voted; the facilitator's decision") + d.sealed(l) + "."
	}
	parts := []string{d.plural(l.Accept, "pour", "pour", "for", "for")}
	if l.Rephrase > 0 {
		parts = append(parts, d.plural(l.Rephrase, "reformulation", "reformulations", "rewording", "rewordings"))
	}
	parts = append(parts, d.plural(l.Reject, "contre", "contre", "against", "against"))
	if l.Skip > 0 {
		parts = append(parts, d.plural(l.Skip, "passé", "passés", "skipped", "skipped"))
	}
	return d.plural(l.Voters, "participant a voté", "participants ont voté", "participant voted", "participants voted") + d.colon() +
		strings.Join(parts, ", ") + d.t(" ; décision scellée par l'animation", "; decision sealed by the facilitator") + d.sealed(l) + "."
}

func (d *Dossier) sealed(l Link) string {
	if l.SealedAt.IsZero() {
		return ""
	}
	return d.t(" le ", " on ") + d.date(l.SealedAt)
}

// colon is French's colon, after a no-break space, or English's.
func (d *Dossier) colon() string { return d.t("\u00a0: ", ": ") }

func (d *Dossier) reason(r string) string {
	switch r {
	case review.ReasonOffTopic:
		return d.t("hors sujet", "off topic")
	case review.ReasonQuoteInexact:
		return d.t("citation inexacte", "quote inexact")
	case review.ReasonTooVague:
		return d.t("trop vague", "too vague")
	case review.ReasonWrongCriterion:
		return d.t("mauvais critère", "wrong criterion")
	case review.ReasonOther:
		return d.t("autre raison", "other reason")
	}
	return r
}

// noEvidence is what a criterion without kept links says: a finding too,
// unless links are still waiting for the group's decision.
func (d *Dossier) noEvidence(c Chapter) string {
	if c.Pending > 0 {
		return d.t("Aucun lien retenu pour l'instant : ", "No link kept yet: ") +
			d.plural(c.Pending, "lien attend encore la décision du groupe.", "liens attendent encore la décision du groupe.",
				"link still awaits the group's decision.", "links still await the group's decision.")
	}
	return d.t("Aucun lien retenu pour ce critère : le groupe n'a trouvé dans ces documents aucun passage qui l'illustre, ou n'en a gardé aucun. C'est un résultat aussi.",
		"No link kept for this criterion: the group found no passage in these documents that illustrates it, or kept none. That is a finding too.")
}

// peopleLine counts who took part, facilitators apart.
func (d *Dossier) peopleLine() string {
	p := d.People
	s := d.plural(p.Participants, "participant", "participants", "participant", "participants") + d.t(" et ", " and ") +
		d.plural(p.Facilitators, "personne à l'animation", "personnes à l'animation", "facilitator", "facilitators")
	if p.Withdrawn > 0 {
		s += d.t(" ; ", "; ") + d.plural(p.Withdrawn, "personne s'est retirée depuis : rien de ce qu'elle a fait n'est compté ici",
			"personnes se sont retirées depuis : rien de ce qu'elles ont fait n'est compté ici",
			"person withdrew since: nothing they did is counted here", "people withdrew since: nothing they did is counted here")
	}
	return s + "."
}

// namesLine says whom the dossier names, and why not the others.
func (d *Dossier) namesLine() string {
	if !d.Names {
		return d.t("Ce dossier ne nomme personne : il parle du groupe. Les noms ne figurent qu'à la demande de l'animation, et seulement ceux des personnes qui y ont consenti.",
			"This dossier names nobody: it speaks of the group. Names appear only when the facilitator asks, and only those of people who consented.")
	}
	if len(d.People.Named) == 0 {
		return d.t("Personne n'a consenti à être nommé : ce dossier ne nomme personne.", "Nobody consented to be named: this dossier names nobody.")
	}
	return d.t("Ont consenti à être nommées : ", "Consented to be named: ") + strings.Join(d.People.Named, ", ") + "."
}

// shareLines are the overview's shares of kept links.
func (d *Dossier) shareLines() []string {
	s := d.Shares
	pct := func(k int) string {
		if d.Kept == 0 {
			return d.n(k)
		}
		return d.n(k) + " (" + review.FormatPct(d.Lang, k, d.Kept) + ")"
	}
	out := []string{
		d.t("proposés par la machine et gardés tels quels : ", "proposed by the machine and kept as worded: ") + pct(s.AsProposed),
		d.t("reformulés par le groupe : ", "reworded by the group: ") + pct(s.Reworded),
		d.t("créés par des personnes pendant la séance : ", "created by people during the session: ") + pct(s.Created),
	}
	if s.Negatives > 0 {
		out = append(out, d.t("vus par le groupe là où le modèle répondait « pas de lien » : ", "seen by the group where the model answered “no link”: ")+pct(s.Negatives))
	}
	if s.Examples > 0 {
		out = append(out, d.t("exemples écrits à la main pour le corpus d'essai : ", "hand-written examples of the sample corpus: ")+pct(s.Examples))
	}
	return out
}

// annexLines are the transparency annex, one fact a line.
func (d *Dossier) annexLines() []string {
	a := d.Annex
	var out []string
	for _, m := range a.Models {
		s := d.t("Modèle : ", "Model: ") + m.Name
		if m.Digest != "" {
			s += d.t(", empreinte ", ", digest ") + m.Digest
		}
		if m.Ollama != "" {
			s += ", Ollama " + m.Ollama
		}
		out = append(out, s)
	}
	if a.Lexical {
		out = append(out, d.t("Proposeur lexical : sans modèle, des mots-clés et un classement BM25 proposent les liens.",
			"Lexical proposer: no model; keywords and a BM25 ranking propose the links."))
	}
	if len(a.Models) == 0 && !a.Lexical {
		out = append(out, d.t("Aucune machine n'a proposé de lien : tous viennent de personnes ou d'exemples.", "No machine proposed a link: all come from people or examples."))
	}
	if len(a.PromptVersions) > 0 {
		out = append(out, d.t("Version du modèle de prompt : ", "Prompt template version: ")+strings.Join(a.PromptVersions, ", "))
	}
	out = append(out,
		d.t("Lancements de propose : ", "Propose runs: ")+d.n(a.Runs)+d.t(" ; paires (critère, passage) examinées : ", "; (criterion, passage) pairs judged: ")+d.n(a.Pairs),
		d.t("Appels au modèle : ", "Model calls: ")+d.n(a.Calls)+d.t(" ; tokens : ", "; tokens: ")+review.FormatInt(d.Lang, a.Tokens)+
			d.t(" ; temps de calcul du modèle : ", "; model time: ")+review.FormatDuration(a.ModelTime),
		d.energy(),
		d.t("Liens proposés par la machine : ", "Links proposed by the machine: ")+d.n(a.Proposed)+
			d.t(" ; « pas de lien » échantillonnés et montrés au groupe : ", "; sampled “no link” answers shown to the group: ")+d.n(a.Negatives),
		d.t("Propositions de la machine rejetées par le groupe : ", "Machine proposals the group rejected: ")+d.n(a.Rejected)+d.reasons(),
		d.t("Liens restés sans décision : ", "Links left undecided: ")+d.n(a.Pending),
	)
	return out
}

func (d *Dossier) energy() string {
	wh := review.FormatFloat(d.Lang, d.Annex.EnergyWh, 2) + "\u202fWh"
	e := d.Annex.Energy
	switch {
	case d.Annex.Runs == 0:
		return d.t("Énergie : aucun calcul de proposition enregistré.", "Energy: no proposing run recorded.")
	case e.Measured:
		return d.t("Énergie mesurée : ", "Energy measured: ") + wh + " (" + strings.Join(e.Sources, ", ") + ")"
	case e.Partly:
		return d.t("Énergie : ", "Energy: ") + wh + d.t(", dont ", ", of which ") + review.FormatFloat(d.Lang, e.Estimated, 2) + "\u202fWh " +
			d.t("estimés", "estimated") + " (" + strings.Join(e.FormulasIn(d.Lang), " ; ") + d.t("), le reste mesuré", "), the rest measured")
	}
	f := d.t("puissance supposée × hôtes × durée", "assumed power × hosts × wall time")
	if len(e.Formulas) > 0 {
		f = strings.Join(e.FormulasIn(d.Lang), " ; ")
	}
	return d.t("Énergie estimée (pas mesurée) : ", "Energy estimated (not measured): ") + wh + " (" + f + ")"
}

func (d *Dossier) reasons() string {
	var parts []string
	for _, r := range review.Reasons {
		if k := d.Annex.Reasons[r]; k > 0 {
			parts = append(parts, d.reason(r)+" "+d.n(k))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// checkLines tell a reader how to check the dossier against the trace.
func (d *Dossier) checkLines() []string {
	head := d.Head
	if head == "" {
		head = d.t("(trace sans empreinte)", "(trace without hashes)")
	}
	out := []string{d.t("Empreinte de tête de la trace (SHA-256) : ", "Head hash of the trace (SHA-256): ") + head}
	c := d.Checkpoint
	if c == nil {
		return append(out, d.t("Pour vérifier : revue verify ", "To check: revue verify ")+d.Session+
			d.t(" recalcule la chaîne ; sa tête doit être celle-ci.", " recomputes the chain; its head must be this one."))
	}
	return append(out,
		d.t("Reçu de séance : ", "Session receipt: ")+c.Code()+", "+d.plural(int(c.Events), "événement", "événements", "event", "events")+
			d.t(" ; tête signée le ", "; head signed on ")+d.date(c.At)+d.t(" par la clé ", " by the key ")+c.KeyFingerprint,
		d.t("Signature SSH de la tête : ", "SSH signature of the head: ")+c.Signature,
		d.t("Pour vérifier : revue verify ", "To check: revue verify ")+d.Session+" --receipt "+c.Code()+"/"+strconv.FormatInt(c.Events, 10)+
			d.t(" dit si la trace est bien celle de ce dossier.", " says whether the trace is this dossier's."))
}

// overviewFacts are the first page's lines on the session.
func (d *Dossier) overviewFacts() [][2]string {
	return [][2]string{
		{d.t("Séance", "Session"), d.Session},
		{d.t("Créée le", "Created on"), d.date(d.Created)},
		{d.t("Personnes", "People"), d.peopleLine()},
		{"Documents", d.n(len(d.Documents))},
		{d.t("Critères", "Criteria"), d.n(len(d.Chapters))},
		{d.t("Liens retenus", "Links kept"), d.n(d.Kept) + d.t(" sur ", " of ") + d.plural(d.Figures.Proposals, "proposé", "proposés", "proposed", "proposed")},
	}
}

// matrixNote explains what the matrix leaves out.
func (d *Dossier) matrixNote(rows int) string {
	s := d.t("Nombre de liens retenus par document (lignes) et par critère (colonnes).", "Kept links per document (rows) and criterion (columns).")
	if rest := len(d.Documents) - rows; rest > 0 {
		s += " " + d.plural(rest, "document sans lien retenu n'est pas listé.", "documents sans lien retenu ne sont pas listés.",
			"document without a kept link is not listed.", "documents without a kept link are not listed.")
	}
	return s
}

// The titles and fixed sentences every format shares.

func (d *Dossier) intro() string {
	return d.t("Ce que le groupe a retenu, critère par critère, des documents relus ensemble.", "What the group kept, criterion by criterion, from the documents it reviewed together.")
}

func (d *Dossier) quoteMissing() string {
	return d.t("La citation proposée ne se trouve pas telle quelle dans le passage : elle n'est pas reproduite.", "The proposed quote is not found as such in the passage: it is not reproduced.")
}

func (d *Dossier) colophon() string {
	return d.t("Écrit par Revue à partir de la trace de la séance. Les personnes décident, pas la machine.", "Written by Revue from the session's trace. People decide, not the machine.")
}

func (d *Dossier) overviewTitle() string {
	return d.t("Vue d'ensemble", "Overview")
}

func (d *Dossier) sharesTitle() string {
	return d.t("D'où viennent les liens retenus", "Where the kept links come from")
}

func (d *Dossier) matrixTitle() string {
	return d.t("Documents × critères", "Documents × criteria")
}

func (d *Dossier) rejectedTitle() string {
	return d.t("Liens rejetés", "Rejected links")
}

func (d *Dossier) peopleTitle() string {
	return d.t("Les personnes", "People")
}

func (d *Dossier) annexTitle() string {
	return d.t("Annexe : transparence", "Annex: transparency")
}

func (d *Dossier) checkTitle() string {
	return d.t("Vérifier ce dossier", "Checking this dossier")
}

func (d *Dossier) contentsTitle() string { return d.t("Sommaire", "Contents") }

// proposedLine shows the wording the group reworded.
func (d *Dossier) proposedLine(l Link) string {
	return d.t("Énoncé proposé : ", "Proposed statement: ") + d.quote(l.Proposed)
}

// outcomeLine is the facilitator's closing sentence.
func (d *Dossier) outcomeLine(l Link) string { return d.t("Conclusion : ", "Outcome: ") + l.Outcome }
