package corpus

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// benchWords is a French-like vocabulary for generated pads.
var benchWords = strings.Fields(`la le les un une des du de et à au aux en pour par avec sans sur sous dans
coopérative association commun communs jardin partagé forêt rivière quartier habitants membres groupe
réunion assemblée conseil bureau décision décisions vote consensus règle règles charte statuts budget
ressource ressources eau énergie terre semences outils atelier local cuisine café bibliothèque école
participer décider partager gérer entretenir construire proposer discuter voter organiser accueillir
chacun chacune tous toutes ensemble souvent parfois jamais toujours déjà encore aussi très plus moins
été hiver printemps automne matin soir semaine mois année projet projets idée idées question questions
conflit conflits médiation confiance responsabilité transparence écoute respect œuvre cœur sœur bénévole
bénévoles salarié salariés financement subvention cotisation dons comptes rapport compte-rendu ordre jour
point points suivant précédent prochaine dernière première nouvelle nouveau ancien ancienne collectif
collective solidarité entraide autonomie gouvernance partage accès usage usagers limites frontières
sanctions graduées surveillance reconnaissance droits devoirs imbrication niveaux échelle locale
est sont a ont fait font doit doivent peut peuvent va vont reste restent semble semblent devient`)

// benchPad writes one pad of about size bytes: a title, sections, paragraphs
// and lists, as HedgeDoc or Etherpad exports look.
func benchPad(w *bufio.Writer, r *rand.Rand, n, size int) {
	written := 0
	put := func(s string) { w.WriteString(s); written += len(s) }
	sentence := func() string {
		k := 6 + r.IntN(20)
		ws := make([]string, k)
		for i := range ws {
			ws[i] = benchWords[r.IntN(len(benchWords))]
		}
		first := []rune(ws[0])
		ws[0] = strings.ToUpper(string(first[:1])) + string(first[1:])
		end := []string{".", ".", ".", " !", " ?", "…"}[r.IntN(6)]
		return strings.Join(ws, " ") + end
	}
	put(fmt.Sprintf("# Pad %d — %s\n\n", n, sentence()))
	for written < size {
		switch r.IntN(6) {
		case 0:
			put("## " + strings.TrimRight(sentence(), ".!?… ") + "\n\n")
		case 1:
			for range 2 + r.IntN(5) {
				put("- " + sentence() + "\n")
			}
			put("\n")
		default:
			for range 1 + r.IntN(5) {
				put(sentence() + " ")
			}
			put("\n\n")
		}
	}
}

// benchCorpus generates count pads totalling about total bytes in dir, with
// sizes spread from a few hundred bytes to tens of kilobytes.
func benchCorpus(b *testing.B, dir string, count, total int) int64 {
	r := rand.New(rand.NewPCG(1, 2))
	var bytes int64
	avg := total / count
	for i := range count {
		size := int(float64(avg) * r.ExpFloat64())
		sub := filepath.Join(dir, strconv.Itoa(i%100))
		if i < 100 {
			if err := os.MkdirAll(sub, 0o755); err != nil {
				b.Fatal(err)
			}
		}
		f, err := os.Create(filepath.Join(sub, fmt.Sprintf("pad-%05d.md", i)))
		if err != nil {
			b.Fatal(err)
		}
		w := bufio.NewWriter(f)
		benchPad(w, r, i, size)
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
		info, _ := f.Stat()
		bytes += info.Size()
		f.Close()
	}
	return bytes
}

// peakRSS returns the process's peak resident memory (VmHWM) in bytes, and
// resetPeakRSS starts a new peak: Linux only, 0 elsewhere.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// BenchmarkImportPads imports 18,000 generated Markdown pads (about 50 MB),
// La Myne's corpus size, and reports the wall time, the peak resident
// memory of the process during the import and the heap the result keeps.
// Run it alone: go test ./corpus/ -run '^$' -bench ImportPads -benchtime 1x
func BenchmarkImportPads(b *testing.B) {
	dir := b.TempDir()
	size := benchCorpus(b, dir, 18000, 50<<20)
	runtime.GC()
	b.ResetTimer()
	for range b.N {
		resetPeakRSS()
		start := time.Now()
		res := Import([]string{dir}, "", Options{})
		elapsed := time.Since(start)
		peak := peakRSS()
		if len(res.Problems) > 0 || len(res.Warnings) > 0 || len(res.Documents) != 18000 {
			b.Fatalf("%d documents, problems %v", len(res.Documents), res.Problems[:min(3, len(res.Problems))])
		}
		var passages int
		for _, d := range res.Documents {
			passages += len(d.Passages)
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(elapsed.Seconds(), "s/import")
		b.ReportMetric(float64(size)/(1<<20), "MiB-input")
		b.ReportMetric(float64(size)/(1<<20)/elapsed.Seconds(), "MiB/s")
		b.ReportMetric(float64(passages), "passages")
		b.ReportMetric(float64(peak)/(1<<20), "MiB-peak-RSS")
		b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "MiB-heap-result")
		runtime.KeepAlive(res)
	}
}

// BenchmarkPDFPages reads a 500-page PDF after the engine has started (and
// after one warm-up read), and reports pages per second.
func BenchmarkPDFPages(b *testing.B) {
	path := longPDF(b, 500)
	if _, _, err := ReadDocument(path, Options{}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		if _, _, err := ReadDocument(path, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(500*b.N)/time.Since(start).Seconds(), "pages/s")
}

// BenchmarkPDFStart measures the PDFium engine's start in a fresh process
// with the wazero compilation cache as it is on disk: run it with -count to
// see the first (cold) and later (warm) starts; it cannot restart the
// engine inside one process.
func BenchmarkPDFStart(b *testing.B) {
	start := time.Now()
	if _, err := pdfPool(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(time.Since(start).Seconds(), "s-first-start")
}

// BenchmarkSplitHugeLine cuts a 4 MiB single line into passages.
func BenchmarkSplitHugeLine(b *testing.B) {
	var sb strings.Builder
	for sb.Len() < 4<<20 {
		sb.WriteString("les communs se gouvernent ensemble et chacun y prend part ")
	}
	text := []rune(sb.String())
	regions := []span{{start: 0, end: len(text)}}
	b.SetBytes(int64(sb.Len()))
	b.ResetTimer()
	for range b.N {
		split(string(text), regions, DefaultMaxPassageRunes)
	}
}
