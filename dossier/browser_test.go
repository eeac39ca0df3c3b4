package dossier

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// tool returns the path of an external program a test needs. Without it
// the test is skipped with a message naming the program and its Debian
// package, except in CI (CI=true), where a missing tool is a failure:
// .ci/run installs them.
func tool(t *testing.T, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed (Debian package %s); .ci/run installs it", name, pkg)
		}
		t.Skipf("%s is not installed (Debian package %s): skipped", name, pkg)
	}
	return path
}

// axeScript returns axe-core's source, from $REVUE_AXE, the global npm
// modules or a node_modules beside the test.
func axeScript(t *testing.T) []byte {
	t.Helper()
	candidates := []string{os.Getenv("REVUE_AXE")}
	if npm, err := exec.LookPath("npm"); err == nil {
		if out, err := exec.Command(npm, "root", "-g").Output(); err == nil {
			candidates = append(candidates, filepath.Join(strings.TrimSpace(string(out)), "axe-core", "axe.min.js"))
		}
	}
	candidates = append(candidates, "node_modules/axe-core/axe.min.js", "../node_modules/axe-core/axe.min.js")
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if b, err := os.ReadFile(c); err == nil {
			return b
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("axe-core is not installed (npm install -g axe-core); .ci/run installs it")
	}
	t.Skip("axe-core is not installed (npm install -g axe-core, or REVUE_AXE=path/to/axe.min.js): skipped")
	return nil
}

// chromium runs Debian's chromium headless on a page, offline: a fresh
// profile, no background traffic, and every host name resolving nowhere
// through a proxy that does not exist, so that a page asking any server
// for anything gets nothing.
func chromium(t *testing.T, args ...string) []byte {
	t.Helper()
	bin := tool(t, "chromium", "chromium")
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
		"--user-data-dir=" + t.TempDir(), "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND"}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.Bytes())
	}
	return out
}

func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func dossierHTML(t *testing.T, opt Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := build(t, opt).WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pages are the HTML files the browser checks look at: the dossier in
// both languages, with and without names and rejected links, and the
// report's page.
func pages(t *testing.T) map[string][]byte {
	return map[string][]byte{
		"dossier-fr": dossierHTML(t, Options{}),
		"dossier-en": dossierHTML(t, Options{Lang: "en", Names: true, IncludeRejected: true}),
		"report-fr":  reportHTML(t, "fr"),
	}
}

// TestHTMLAsksNoServer reads the page as a browser would fetch it: no
// script, stylesheet, image, font or frame from anywhere.
func TestHTMLAsksNoServer(t *testing.T) {
	for name, b := range pages(t) {
		page := string(b)
		for _, re := range []string{`(?i)<(script|link|img|iframe|object|embed|video|audio|source)\b`, `(?i)\bsrc=`, `(?i)url\(`, `(?i)@import`} {
			if m := regexp.MustCompile(re).FindString(page); m != "" {
				t.Errorf("%s would load something: %q", name, m)
			}
		}
	}
}

// TestHTMLPrintsEveryKeptStatement prints the dossier to PDF in chromium,
// offline, and reads the PDF back with pdftotext.
func TestHTMLPrintsEveryKeptStatement(t *testing.T) {
	pdftotext := tool(t, "pdftotext", "poppler-utils")
	page := writeFile(t, "dossier.html", dossierHTML(t, Options{}))
	pdf := filepath.Join(t.TempDir(), "dossier.pdf")
	chromium(t, "--no-pdf-header-footer", "--print-to-pdf="+pdf, "file://"+page)
	text := pdfText(t, pdftotext, pdf)
	for _, s := range append(keptStatements, keptQuotes...) {
		if !strings.Contains(text, s) {
			t.Errorf("the printed dossier lacks %q", s)
		}
	}
	// The sources are printed as notes at the end of each chapter.
	if !strings.Contains(text, "jardins-2019.pdf") {
		t.Error("the printed dossier lacks its sources")
	}
	// Each criterion starts a page: its title opens it.
	for _, title := range []string{"Les règles sont faites par les personnes concernées", "Les ressources sont partagées", "Les conflits trouvent une médiation"} {
		if !pageOpensWith(t, pdftotext, pdf, title) {
			t.Errorf("no printed page opens with the chapter %q", title)
		}
	}
}

// pageOpensWith reports whether a page of the PDF starts with text.
func pageOpensWith(t *testing.T, pdftotext, pdf, text string) bool {
	t.Helper()
	out, err := exec.Command(pdftotext, "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", pdf, err)
	}
	for _, page := range strings.Split(string(out), "\f") {
		head := strings.Join(strings.Fields(page), " ")
		if len(head) > 200 {
			head = head[:200]
		}
		if strings.Contains(head, text) {
			return true
		}
	}
	return false
}

// pdfText is the text of a PDF, every run of white space one space.
func pdfText(t *testing.T, pdftotext, pdf string) string {
	t.Helper()
	out, err := exec.Command(pdftotext, "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", pdf, err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// probe is a page that shows the dossier in frames of a phone's and a
// laptop's width and writes, once they are laid out, each frame's own
// measure of its content's width against its viewport's: a page wider
// than its viewport scrolls sideways.
const probe = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>probe</title></head><body style="margin:0">
<iframe id="f390" style="width:390px;height:800px;border:0;display:block" srcdoc="%s"></iframe>
<iframe id="f1280" style="width:1280px;height:800px;border:0;display:block" srcdoc="%s"></iframe>
<script>
window.addEventListener('load', function () {
  var out = {};
  ['f390', 'f1280'].forEach(function (id) {
    var d = document.getElementById(id).contentDocument.documentElement;
    out[id] = [d.scrollWidth, d.clientWidth];
  });
  document.body.setAttribute('data-widths', JSON.stringify(out));
});
</script></body></html>`

// TestHTMLHasNoSidewaysScroll measures the dossier at 390 px (a phone)
// and 1280 px, in chromium: the content is never wider than the screen.
func TestHTMLHasNoSidewaysScroll(t *testing.T) {
	for name, b := range pages(t) {
		src := html.EscapeString(string(b))
		page := writeFile(t, "probe.html", []byte(strings.ReplaceAll(probe, "%s", src)))
		dom := chromium(t, "--window-size=1400,1000", "--virtual-time-budget=10000", "--dump-dom", "file://"+page)
		widths := map[string][2]int{}
		if err := json.Unmarshal([]byte(attr(t, dom, "data-widths")), &widths); err != nil {
			t.Fatal(err)
		}
		for id, w := range widths {
			if w[1] == 0 || w[0] > w[1] {
				t.Errorf("%s, %s: content %d px wide in a %d px viewport: it scrolls sideways", name, id, w[0], w[1])
			}
		}
		if len(widths) != 2 {
			t.Errorf("%s: measured %v", name, widths)
		}
	}
}

// TestHTMLAccessibility runs axe-core in chromium on the dossier: no
// serious or critical violation.
func TestHTMLAccessibility(t *testing.T) {
	axe := axeScript(t)
	for name, page := range pages(t) {
		run := `<script>` + string(axe) + `</script><script>
axe.run(document, {resultTypes: ['violations']}).then(function (r) {
  document.body.setAttribute('data-axe', JSON.stringify(r.violations.map(function (v) {
    return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(function (n) { return n.html; }).slice(0, 3)};
  })));
});
</script></body>`
		path := writeFile(t, "axe.html", bytes.Replace(page, []byte("</body>"), []byte(run), 1))
		dom := chromium(t, "--window-size=1280,1000", "--virtual-time-budget=30000", "--dump-dom", "file://"+path)
		var violations []struct {
			ID, Impact, Help string
			Nodes            []string
		}
		if err := json.Unmarshal([]byte(attr(t, dom, "data-axe")), &violations); err != nil {
			t.Fatal(err)
		}
		for _, v := range violations {
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Errorf("%s: axe: %s (%s): %s, e.g. %v", name, v.ID, v.Impact, v.Help, v.Nodes)
			} else {
				t.Logf("%s: axe: %s (%s): %s", name, v.ID, v.Impact, v.Help)
			}
		}
	}
}

// attr returns an attribute the probe's script set on the body.
func attr(t *testing.T, dom []byte, name string) string {
	t.Helper()
	m := regexp.MustCompile(name + `="([^"]*)"`).FindSubmatch(dom)
	if m == nil {
		t.Fatalf("the page's script did not write %s:\n%.2000s", name, dom)
	}
	return html.UnescapeString(string(m[1]))
}

// phoneProbe shows a page in a frame of a phone's width (375 px) and
// writes what would be unreadable there: the effective size of the plots'
// 12-unit labels below 9.5 px, and the words of a table's cells broken
// across two lines ("Docume/nt").
const phoneProbe = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>probe</title></head><body style="margin:0">
<iframe id="f" style="width:375px;height:800px;border:0;display:block" srcdoc="%s"></iframe>
<script>
window.addEventListener('load', function () {
  var doc = document.getElementById('f').contentDocument, small = [], broken = [], cells = 0;
  doc.querySelectorAll('svg').forEach(function (s) {
    var vb = s.viewBox.baseVal;
    if (vb && vb.width) {
      var px = 12 * s.getBoundingClientRect().width / vb.width;
      if (px < 9.5) small.push(Math.round(px * 10) / 10);
    }
  });
  doc.querySelectorAll('th, td').forEach(function (c) {
    cells++;
    var walker = doc.createTreeWalker(c, NodeFilter.SHOW_TEXT), n, m, re = /\S+/g;
    while ((n = walker.nextNode())) {
      while ((m = re.exec(n.data))) {
        var r = doc.createRange();
        r.setStart(n, m.index);
        r.setEnd(n, m.index + m[0].length);
        if (r.getClientRects().length > 1) broken.push(m[0]);
      }
    }
  });
  document.body.setAttribute('data-phone', JSON.stringify({small: small, broken: broken, cells: cells}));
});
</script></body></html>`

// TestHTMLReadableOnAPhone lays the dossier and the report's page out at
// 375 px in chromium: the plots keep labels of at least 9.5 px (they
// scroll sideways in their frame rather than shrink), and no word of a
// table, the documents × criteria matrix above all, is broken mid-word.
func TestHTMLReadableOnAPhone(t *testing.T) {
	all := pages(t)
	// Documents named as associations name their minutes, whose long
	// words were broken to fit a narrow first column.
	d := build(t, Options{})
	for i, doc := range d.Documents {
		doc.Title = fmt.Sprintf("Compte rendu de l'assemblée générale extraordinaire des coopérateurs n° %d", i+1)
	}
	var long bytes.Buffer
	if err := d.WriteHTML(&long); err != nil {
		t.Fatal(err)
	}
	all["dossier-long-titles"] = long.Bytes()
	for name, b := range all {
		page := writeFile(t, "phone.html", []byte(strings.ReplaceAll(phoneProbe, "%s", html.EscapeString(string(b)))))
		dom := chromium(t, "--window-size=600,1000", "--virtual-time-budget=10000", "--dump-dom", "file://"+page)
		var got struct {
			Small  []float64
			Broken []string
			Cells  int
		}
		if err := json.Unmarshal([]byte(attr(t, dom, "data-phone")), &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Small) > 0 {
			t.Errorf("%s at 375 px: plot labels of %v px", name, got.Small)
		}
		if len(got.Broken) > 0 || got.Cells == 0 {
			t.Errorf("%s at 375 px: words broken across lines in its tables (%d cells): %q", name, got.Cells, got.Broken)
		}
	}
}
