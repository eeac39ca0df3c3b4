package testtool

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// countWords finds a whole number and the up to three words right after
// it, up to the first punctuation ("1 propose runs", "1 open
// disagreements"). The number is whole when no digit, letter, decimal sign
// or thousands space comes before it, so that the "000" of "1 000
// tirages" is not read as a count.
var countWords = regexp.MustCompile(`(?:^|[^\p{L}\p{N},.\x{202f}\x{a0}])(\d+)[ \x{a0}](\p{L}[\p{L}'’·-]*(?:[ \x{a0}]\p{L}[\p{L}'’·-]*){0,2})`)

// complement are the words that start a noun's complement, whose own
// number does not follow the count.
var complement = map[string]bool{"de": true, "des": true, "du": true, "of": true, "par": true, "by": true, "à": true}

// notPlural are words that end in s without being plurals: verbs and
// invariable words that can follow a count in a sentence.
var notPlural = map[string]bool{"is": true, "was": true, "has": true, "joins": true, "thesaurus": true, "s": true, "cours": true, "its": true, "this": true,
	"dans": true, "sans": true, "sous": true, "plus": true, "depuis": true, "après": true, "fois": true, "pas": true, "temps": true, "vers": true}

// SingularMistakes returns the places in text where the count n is
// followed by a plural word although its language wants the singular:
// French for 0 and 1, English for 1 ("1 propositions", "0 décisions",
// "1 propose runs"). A plural word is one of the three words after the
// count that ends in s or x (but for a possessive, a few verbs and
// invariable words, and what follows "de" or "of").
// Markup is left out first. It is what the plural table tests of each package check
// their outputs with, for counts 0, 1 and 2 in both languages; the plural
// side (2 in French, 0 and 2 in English) is checked by their phrases.
func SingularMistakes(lang string, n int, text string) []string {
	if !(n == 1 || n == 0 && lang != "en") {
		return nil
	}
	text = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(text, " ")
	var out []string
	for _, m := range countWords.FindAllStringSubmatchIndex(text, -1) {
		if text[m[2]:m[3]] != strconv.Itoa(n) {
			continue
		}
		plural := false
		words := strings.FieldsFunc(text[m[4]:m[5]], func(r rune) bool { return r == ' ' || r == '\u00a0' })
		if m[5] < len(text) && text[m[5]] == '/' {
			words = words[:len(words)-1] // a unit of a rate: "0 tokens/s"
		}
		for _, w := range words {
			lw := strings.ToLower(w)
			if complement[lw] || strings.HasPrefix(lw, "d'") {
				break // "1 paire de votes": the complement keeps its own number
			}
			possessive := strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s")
			if !notPlural[lw] && !possessive && (strings.HasSuffix(w, "s") || strings.HasSuffix(w, "x")) {
				plural = true
			}
		}
		if !plural {
			continue
		}
		start, end := max(m[0]-30, 0), min(m[1]+30, len(text))
		out = append(out, strings.TrimSpace(text[start:end]))
	}
	return out
}

// SetInts sets every int and int64 field of the struct v points to, and
// of the structs, slices and maps of structs it holds, to n: the counts of
// a figures struct all at once, for a plural table test. Durations, being
// int64, are set too.
func SetInts(v any, n int) {
	setInts(reflect.ValueOf(v).Elem(), n)
}

func setInts(v reflect.Value, n int) {
	switch v.Kind() {
	case reflect.Int, reflect.Int64:
		if v.CanSet() {
			v.SetInt(int64(n))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				setInts(v.Field(i), n)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			setInts(v.Index(i), n)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			setInts(e, n)
			v.SetMapIndex(k, e)
		}
	case reflect.Pointer:
		if !v.IsNil() {
			setInts(v.Elem(), n)
		}
	}
}

// CheckPlurals fails t when out has a plural where the count n wants the
// singular in lang (SingularMistakes), or lacks one of the phrases want.
func CheckPlurals(t testing.TB, lang string, n int, out string, want []string) {
	t.Helper()
	if bad := SingularMistakes(lang, n, out); len(bad) > 0 {
		t.Errorf("%s, counts of %d: a plural where the singular is due: %q", lang, n, bad)
	}
	for _, s := range want {
		if !strings.Contains(out, s) {
			t.Errorf("%s, counts of %d: no %q in\n%s", lang, n, s, out)
		}
	}
}
