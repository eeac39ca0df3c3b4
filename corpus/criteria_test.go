package corpus

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/coopdescommuns/revue/review"
)

var wantCriteria = []review.Criterion{
	{ID: "C1", Title: "Participation", Description: "Les personnes concernées par les règles participent à leur élaboration."},
	{ID: "C2", Title: "Résolution des conflits", Description: "Les conflits sont résolus vite et à faible coût.\n\nPar une médiation interne."},
	{ID: "C3", Title: "Limites claires", Description: ""},
}

func TestReadCriteria(t *testing.T) {
	tests := []struct {
		name, file, data string
		want             []review.Criterion
		problems         []string // Problem.Error() without the directory
	}{
		{
			name: "markdown with all three dashes", file: "criteres.md",
			data: "# Critères d'Ostrom\n\nIntroduction ignorée.\n\n" +
				"## C1 — Participation\nLes personnes concernées par les règles participent à leur élaboration.\n\n" +
				"## C2 – Résolution des conflits\n\nLes conflits sont résolus vite et à faible coût.\n\nPar une médiation interne.\n" +
				"## C3 - Limites claires\n",
			want: wantCriteria,
		},
		{
			name: "markdown wrapped at 40 columns reads as one paragraph, lists keep their lines", file: "wrapped.md",
			data: "## C1 — Participation\nLes personnes concernées par les règles\n  participent à leur élaboration.\n" +
				"## C2 — Résolution des conflits\nLes conflits sont résolus\nvite et à faible coût.\n\n\nPar une médiation interne :\n- écoute ;\n2. accord.\n",
			want: []review.Criterion{wantCriteria[0], {ID: "C2", Title: "Résolution des conflits",
				Description: "Les conflits sont résolus vite et à faible coût.\n\nPar une médiation interne :\n- écoute ;\n2. accord."}},
		},
		{
			name: "markdown errors name their lines", file: "criteres.markdown",
			data: "## C1 — Participation\nLes personnes concernées par les règles participent à leur élaboration.\n" +
				"## C2 —\nsans titre\n" +
				"## — Sans id\n" +
				"## Un titre sans identifiant\n" +
				"## C1 — Encore\n",
			want: wantCriteria[:1],
			problems: []string{
				"criteres.markdown:3: criterion \"C2\" has an empty title",
				"criteres.markdown:5: empty id: every criterion needs a short id such as C1",
				"criteres.markdown:6: heading \"Un titre sans identifiant\" has no id: write \"## ID — Title\"",
				"criteres.markdown:7: duplicate id \"C1\", first used at line 1",
			},
		},
		{
			name: "csv", file: "criteres.csv",
			data: "\ufeffid,title,description\n" +
				"C1,Participation,Les personnes concernées par les règles participent à leur élaboration.\n" +
				"C2,Résolution des conflits,\"Les conflits sont résolus vite et à faible coût.\n\nPar une médiation interne.\"\n" +
				",,\n" +
				"C3,Limites claires\n",
			want: wantCriteria,
		},
		{
			name: "csv columns in another order", file: "CRITERES.CSV",
			data: "Title,ID\r\nParticipation,C1\r\n",
			want: []review.Criterion{{ID: "C1", Title: "Participation"}},
		},
		{
			name: "csv errors name their lines", file: "c.csv",
			data: "id,title,description\nC1,Participation,x\nC2,,y\n,Sans id,z\n\"C1\",\"Encore\",\"multi\nligne\"\nC4,\"mal fermé\n",
			want: []review.Criterion{{ID: "C1", Title: "Participation", Description: "x"}},
			problems: []string{
				"c.csv:3: criterion \"C2\" has an empty title",
				"c.csv:4: empty id: every criterion needs a short id such as C1",
				"c.csv:5: duplicate id \"C1\", first used at line 2",
				"c.csv:7: invalid CSV: extraneous or missing \" in quoted-field",
			},
		},
		{
			name: "csv without the columns", file: "c.csv",
			data:     "nom,texte\nC1,x\n",
			problems: []string{"c.csv:1: header \"nom,texte\", its columns separated by \",\", lacks the id and title (or titre) columns: the first row must name them, as in `id,title,description` or `id;titre;description`"},
		},
		{
			name: "csv of a French spreadsheet without the columns names its separator", file: "c.csv",
			data:     "nom;texte;description\nC1;x;y\n",
			problems: []string{"c.csv:1: header \"nom;texte;description\", its columns separated by \";\", lacks the id and title (or titre) columns: the first row must name them, as in `id,title,description` or `id;titre;description`"},
		},
		{
			name: "csv of French Excel: semicolons, French headers, Windows-1252, commas inside fields", file: "excel.csv",
			data: "Identifiant;Titre;Description\r\nC1;Participation;Les personnes concern\xe9es par les r\xe8gles participent \xe0 leur \xe9laboration.\r\n" +
				"C2;R\xe9solution des conflits;\"Les conflits sont r\xe9solus vite et \xe0 faible co\xfbt.\r\n\r\nPar une m\xe9diation interne.\"\r\nC3;Limites claires;\r\n",
			want:     wantCriteria,
			problems: []string{"excel.csv: not UTF-8, read as Windows-1252: check the accents"},
		},
		{
			name: "csv with Excel's sep= line and a BOM", file: "sep.csv",
			data:     "\ufeffsep=;\nid;titre\nC1;Participation, ensemble\n\"C1\";Encore\n",
			want:     []review.Criterion{{ID: "C1", Title: "Participation, ensemble"}},
			problems: []string{"sep.csv:4: duplicate id \"C1\", first used at line 3"},
		},
		{
			name: "csv separated by tabs", file: "tab.csv",
			data: "id\ttitle\tdescription\nC1\tParticipation\tLes personnes concernées par les règles participent à leur élaboration.\n",
			want: wantCriteria[:1],
		},
		{
			name: "yaml list", file: "criteres.yaml",
			data: "- id: C1\n  title: Participation\n  description: Les personnes concernées par les règles participent à leur élaboration.\n" +
				"- id: C2\n  title: Résolution des conflits\n  description: |-\n    Les conflits sont résolus vite et à faible coût.\n\n    Par une médiation interne.\n" +
				"- {id: C3, title: Limites claires}\n",
			want: wantCriteria,
		},
		{
			name: "yaml criteria key, errors name lines", file: "criteres.yml",
			data: "version: 1\ncriteria:\n  - id: 7\n    title: Numéro\n  - id: C2\n    title: \"\"\n  - id: 7\n    title: Encore\n  - simple\n",
			want: []review.Criterion{{ID: "7", Title: "Numéro"}},
			problems: []string{
				"criteres.yml:5: criterion \"C2\" has an empty title",
				"criteres.yml:7: duplicate id \"7\", first used at line 3",
				"criteres.yml:9: criterion #4 is not an object with id, title and description",
			},
		},
		{
			name: "yaml syntax error", file: "c.yaml",
			data:     "- id: C1\n  title: [\n",
			problems: []string{"c.yaml:2: invalid YAML: did not find expected node content"},
		},
		{
			name: "json list", file: "criteres.json",
			data: `[{"id":"C1","title":"Participation","description":"Les personnes concernées par les règles participent à leur élaboration."},
	{"id": "C2", "title": "Résolution des conflits", "description": "Les conflits sont résolus vite et à faible coût.\n\nPar une médiation interne."},
	{"id": "C3", "title": "Limites claires"}]`,
			want: wantCriteria,
		},
		{
			name: "json criteria key, errors name lines", file: "c.json",
			data: "{\"name\": \"x\", \"criteria\": [\n  {\"id\": \"C1\", \"title\": \"Participation\"},\n  {\"id\": \"C1\", \"title\": \"Bis\"},\n  {\"id\": \"\", \"title\": \"Sans id\"},\n  {\"id\": 3, \"title\": null},\n  \"texte\"\n]}",
			want: []review.Criterion{{ID: "C1", Title: "Participation"}},
			problems: []string{
				"c.json:3: duplicate id \"C1\", first used at line 2",
				"c.json:4: empty id: every criterion needs a short id such as C1",
				"c.json:5: criterion \"3\" has an empty title",
				"c.json:6: criterion #5 is not an object with id, title and description",
			},
		},
		{
			name: "json syntax error", file: "c.json",
			data:     "[\n{\"id\": \"C1\",\n\"title\": }\n]",
			problems: []string{"c.json:3: invalid JSON: invalid character '}' looking for beginning of value"},
		},
		{
			name: "empty file", file: "vide.md", data: " \n",
			problems: []string{"vide.md: empty file: write one criterion per \"## ID — Title\" heading"},
		},
		{
			name: "no criteria", file: "rien.md", data: "# Titre\n\nDu texte.\n",
			problems: []string{"rien.md: no criteria found: expected \"## ID — Title\" headings, each followed by its description"},
		},
		{
			name: "unknown type", file: "c.txt", data: "C1",
			problems: []string{"c.txt: criteria file type \".txt\" not read: use .md, .csv, .yaml or .json"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, tt.file)
			if err := os.WriteFile(path, []byte(tt.data), 0o644); err != nil {
				t.Fatal(err)
			}
			got, probs := ReadCriteria(path)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("criteria = %#v\nwant %#v", got, tt.want)
			}
			var msgs []string
			for _, p := range probs {
				msgs = append(msgs, strings.TrimPrefix(p.Error(), dir+string(filepath.Separator)))
			}
			if !reflect.DeepEqual(msgs, tt.problems) {
				t.Errorf("problems = %q\nwant %q", msgs, tt.problems)
			}
		})
	}
}

func TestReadCriteriaMissing(t *testing.T) {
	_, probs := ReadCriteria(filepath.Join(t.TempDir(), "absent.md"))
	if len(probs) != 1 || !strings.Contains(probs[0].Reason, "no such file") {
		t.Fatalf("problems = %v", probs)
	}
}

// FuzzReadCriteria parses arbitrary bytes as Markdown and as CSV criteria:
// no panic, every problem names the file, and every criterion returned has
// an id and a title, unique.
func FuzzReadCriteria(f *testing.F) {
	f.Add([]byte("## C1 — Participation\nDescription.\n## C2 - Autre\n"))
	f.Add([]byte("id,title,description\nC1,Participation,\"x\ny\"\n"))
	f.Add([]byte("## C1 —\n## — x\n## C1 – y\n"))
	f.Add([]byte("\xef\xbb\xbfid,title\n\"C1\",\"a\"\"b\"\n,\n"))
	f.Add([]byte("\xff\xfe#\x00#\x00"))
	f.Add([]byte("## C1 — A\nMots-clés : a, b ;; c,\n- **Keywords:** d\n"))
	f.Add([]byte("id,title,mots-clés\nC1,A,\"a, b; ,c\"\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, name := range []string{"c.md", "c.csv"} {
			crit, probs := parseCriteria(name, b)
			for _, p := range probs {
				if p.File != name || p.Reason == "" || p.Line < 0 {
					t.Fatalf("problem %+v", p)
				}
			}
			seen := map[string]bool{}
			for _, c := range crit {
				if c.ID == "" || c.Title == "" || seen[c.ID] {
					t.Fatalf("criterion %+v invalid or duplicated", c)
				}
				for _, k := range c.Keywords {
					if k == "" || k != strings.TrimSpace(k) || strings.ContainsAny(k, "\n,;") {
						t.Fatalf("criterion %s: keyword %q not split or trimmed", c.ID, k)
					}
				}
				seen[c.ID] = true
			}
		}
	})
}
