package cli

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/coopdescommuns/revue/propose/ollamafake"
)

// userFacing are the files of other packages whose messages reach a user
// through the command line.
var userFacing = []string{
	"../../corpus/corpus.go", "../../corpus/criteria.go", "../../corpus/pdf.go", "../../corpus/text.go",
	"../../corpus/html.go", "../../corpus/office.go", "../../corpus/file.go",
	"../../store/store.go", "../../store/receipt.go",
	"../../propose/config.go", "../../propose/ollama.go", "../../propose/run.go", "../../propose/retrieve.go", "../../propose/embedcache.go",
	"../../session/auth.go", "../../session/registry.go", "../../session/server.go",
}

// internalMessages are messages of those files that only a bug can show
// (a caller breaking a contract, a driver of the wrong type): they stay in
// English, the language of a bug report.
var internalMessages = []string{
	"is not valid UTF-8", "is outside the years 0 to 9999", "is not valid JSON", "the %s is empty",
	"bytes long, more than", "contains a control character", "share the id", "nothing of this call was stored",
	"a session's first event must be its", "already has %d events", "the insert was skipped", "has a bad time",
	"cannot run queries directly", "columns of unexpected types", "the events may have been stored",
	"NewServer needs a Registry", "in-memory host key", "then %w",
}

// TestLibraryMessagesHaveFrench walks the messages of the user-facing files
// (error formats, corpus's reasons) and checks that the catalogue turns each
// into French: no run of three of its English words is left.
func TestLibraryMessagesHaveFrench(t *testing.T) {
	fset := token.NewFileSet()
	seen := 0
	for _, name := range userFacing {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		var msgs []ast.Expr
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && len(n.Args) > 0 {
					if x, ok := sel.X.(*ast.Ident); ok && (x.Name == "fmt" && (sel.Sel.Name == "Errorf" || sel.Sel.Name == "Sprintf") || x.Name == "errors" && sel.Sel.Name == "New") {
						msgs = append(msgs, n.Args[0])
					}
				}
			case *ast.KeyValueExpr:
				if k, ok := n.Key.(*ast.Ident); ok && strings.EqualFold(k.Name, "reason") {
					msgs = append(msgs, n.Value)
				}
			case *ast.ReturnStmt:
				if strings.HasPrefix(name, "../../corpus/") {
					msgs = append(msgs, n.Results...)
				}
			}
			return true
		})
		for _, e := range msgs {
			for _, lit := range literalParts(e) {
				// "French / English" texts, sent as they are to an SSH
				// client whose language the server does not know, are
				// both already.
				if !isMessage(lit) || isInternal(lit) || strings.Contains(lit, " / ") {
					continue
				}
				seen++
				sample := sampleOf(lit)
				fr := toFrench(sample)
				if left := englishLeft(sample, fr); left != "" {
					t.Errorf("%s: %q has no French in its package's messages.go (%q is left in %q)", fset.Position(e.Pos()), lit, left, fr)
				}
			}
		}
	}
	if seen < 60 {
		t.Fatalf("only %d messages found: the walk is broken", seen)
	}
}

// literalParts are the string literals of an expression, the pieces of a
// concatenation apart.
func literalParts(e ast.Expr) []string {
	switch e := e.(type) {
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			return append(literalParts(e.X), literalParts(e.Y)...)
		}
	default:
		if s, ok := literal(e); ok {
			return []string{s}
		}
	}
	return nil
}

var messageWords = regexp.MustCompile(`[a-zA-Z']{2,}(?: [a-zA-Z']{2,}){2,}`)

// isMessage tells a sentence from code: three words in a row.
func isMessage(s string) bool { return messageWords.MatchString(verbs.ReplaceAllString(s, "x")) }

func isInternal(s string) bool {
	for _, m := range internalMessages {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

// sampleOf fills a format's verbs with plausible values.
func sampleOf(format string) string {
	return verbs.ReplaceAllStringFunc(format, func(v string) string {
		switch v[len(v)-1] {
		case '%':
			return "%"
		case 'q':
			return `"7"`
		}
		return "7"
	})
}

var (
	nonWord = regexp.MustCompile(`[^a-zA-Z' ]+`)
	// code is what stays the same in both languages: commands in
	// backquotes, flags, file names and paths, column lists.
	code = regexp.MustCompile("`[^`]*`|--?[a-z][a-z-]*(=\\S+)?|\\S*[._/~,][a-zA-Z0-9]\\S*")
)

// englishLeft returns a run of three words of en that fr still holds, or "".
func englishLeft(en, fr string) string {
	frText := " " + strings.Join(strings.Fields(nonWord.ReplaceAllString(code.ReplaceAllString(fr, " "), " ")), " ") + " "
	for _, seg := range verbs.Split(code.ReplaceAllString(en, " "), -1) {
		w := strings.Fields(nonWord.ReplaceAllString(seg, " "))
		for i := 0; i+3 <= len(w); i++ {
			if run := strings.Join(w[i:i+3], " "); strings.Contains(frText, " "+run+" ") {
				return run
			}
		}
	}
	return ""
}

func TestFrenchCatalogue(t *testing.T) {
	for _, e := range french() {
		sample := strings.ReplaceAll(e.en, "{}", "X7")
		got := toFrench(sample)
		if got == sample || strings.TrimSpace(e.fr) == "" {
			t.Errorf("%q is not translated: %q", e.en, got)
		}
		if strings.Count(e.en, "{}") != strings.Count(e.fr, "${") {
			t.Errorf("%q and its French take a different number of values", e.en)
		}
		if strings.Count(got, "X7") != strings.Count(sample, "X7") {
			t.Errorf("%q: the French %q lost a value", e.en, got)
		}
	}
}

// TestFrenchErrorsFromRealInputs runs the command line in French on bad
// inputs of every kind and checks that what it prints is French.
func TestFrenchErrorsFromRealInputs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	doc := write("doc.md", "Un texte sur les communs, assez long pour faire un passage.")
	notDir := write("pas-un-dossier", "x")
	loop := filepath.Join(dir, "boucle")
	if err := os.Symlink(loop, loop); err != nil {
		t.Fatal(err)
	}
	office := filepath.Join(dir, "bureau")
	os.Mkdir(office, 0o755)
	for _, name := range []string{"budget.xlsx", "diapos.pptx", "compte-rendu.rtf"} {
		os.WriteFile(filepath.Join(office, name), []byte("x"), 0o644)
	}
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	fake := ollamafake.New(ollamafake.Model{Name: "qwen3:4b", Digest: "sha256:" + strings.Repeat("ab", 32)})
	defer fake.Close()
	data := t.TempDir()
	docs, criteria := sampleFiles(t)
	if code, _, errs := revue(t, data, append([]string{"init", "atelier", "--criteria", criteria}, docs...)...); code != 0 {
		t.Fatal(errs)
	}
	tests := []struct {
		args    []string
		want    string
		english string
	}{
		{[]string{"init", "a", "--criteria", write("c1.md", "## — Sans id\nx\n\n## C1 — A\nx\n\n## C1 — B\ny\n\n## C2 —\nz\n"), doc}, "identifiant vide", "empty id"},
		{[]string{"init", "a", "--criteria", write("c2.md", "## Sans identifiant\nx\n"), doc}, "n'a pas d'identifiant", "has no id"},
		{[]string{"init", "a", "--criteria", write("c3.csv", "id,title\nC1,\n"), doc}, "a un titre vide", "empty title"},
		{[]string{"init", "a", "--criteria", write("c4.csv", "nom,desc\nC1,x\n"), doc}, "n'a pas les colonnes", "lacks the id"},
		{[]string{"init", "a", "--criteria", write("c5.json", `{"x": 1}`), doc}, "pas de clé « criteria »", "no \"criteria\" key"},
		{[]string{"init", "a", "--criteria", write("c6.yaml", "- id: C1\n  title: [1, 2]\n"), doc}, "doit être du texte", "must be text"},
		{[]string{"init", "a", "--criteria", write("c7.txt", "C1"), doc}, "non lu", "not read"},
		{[]string{"init", "a", "--criteria", write("c8.md", ""), doc}, "fichier vide", "empty file"},
		{[]string{"init", "a", "--criteria", criteria, write("d.odt", "x"), write("vide.md", ""), write("faux.pdf", "pas un pdf"), filepath.Join(dir, "absent")}, "introuvable", "no such file"},
		{[]string{"init", "a", "--criteria", criteria, write("faux2.pdf", "pas un pdf")}, "pas un PDF valide", "not a valid PDF"},
		{[]string{"init", "a", "--criteria", criteria, write("profond.html", strings.Repeat("<div>", 600)+"x")}, "HTML imbriqué trop profondément", "nested too deep"},
		{[]string{"init", "a", "--criteria", write("c9.json", strings.Repeat("[", 20000)+strings.Repeat("]", 20000)), doc}, "plus de 10 000 niveaux", "exceeded max depth"},
		{[]string{"init", "a", "--criteria", criteria, loop}, "une boucle de liens symboliques", "symbolic links"},
		{[]string{"init", "a", "--criteria", criteria, office}, "exportez la présentation en PDF", "not read"},
		{[]string{"init", "a", "--criteria", criteria, write("ancien.docx", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"+strings.Repeat("\x00", 600))}, "un ancien fichier Word 97-2003", "old Word"},
		{[]string{"init", "a", "--criteria", write("c10.csv", "nom;texte\nC1;x\n"), doc}, "séparées par \";\"", "separated by"},
		{[]string{"--data", filepath.Join(notDir, "sous"), "sessions"}, "ouverture de la trace", "open store"},
		{[]string{"--data", data, "propose", "atelier", "--ollama", closed.URL}, "Ollama ne répond pas", "not reachable"},
		{[]string{"--data", data, "propose", "atelier", "--ollama", fake.URL, "--model", "mistral:7b"}, "ollama pull mistral:7b", "is not pulled"},
		{[]string{"--data", data, "propose", "atelier", "--per-criterion", "-1"}, "nombre positif", "give a positive"},
		{[]string{"--data", data, "serve", "--listen", "127.0.0.1:0", "--authorized-keys", doc}, "pas une clé publique", "not a public key"},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		t.Setenv("REVUE_DATA", t.TempDir())
		code := run(context.Background(), append([]string{"--lang", "fr"}, tt.args...), strings.NewReader(""), &out, &errb)
		if code == 0 || !strings.Contains(errb.String(), tt.want) || strings.Contains(errb.String(), tt.english) {
			t.Errorf("revue %q = %d, want %q and not %q:\n%s", tt.args, code, tt.want, tt.english, errb.String())
		}
	}
}
