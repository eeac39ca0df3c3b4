package review

import "strings"

// WordDiff describes how b rewords a, word by word, in the notation of
// `git diff --word-diff`: removed words as [-…-], added ones as {+…+}. A
// researcher reads how people rephrase the AI from it, so it favours
// readability over minimality.
func WordDiff(a, b string) string {
	x, y := strings.Fields(a), strings.Fields(b)
	// Longest common subsequence of words; statements are short.
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	var del, add []string
	flush := func() {
		if len(del) > 0 {
			out = append(out, "[-"+strings.Join(del, " ")+"-]")
		}
		if len(add) > 0 {
			out = append(out, "{+"+strings.Join(add, " ")+"+}")
		}
		del, add = nil, nil
	}
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			flush()
			out = append(out, x[i])
			i, j = i+1, j+1
		case j < len(y) && (i == len(x) || lcs[i][j+1] >= lcs[i+1][j]):
			add = append(add, y[j])
			j++
		default:
			del = append(del, x[i])
			i++
		}
	}
	flush()
	return strings.Join(out, " ")
}

// DiffOp is one run of words of a WordDiff, for screens that show a
// rewording in plain words (struck through, or "before / after") rather
// than in WordDiff's notation.
type DiffOp struct {
	Op   byte // '=' kept, '-' removed, '+' added
	Text string
}

// WordOps returns the runs of words that b keeps, removes and adds from a,
// in order: the same comparison as WordDiff.
func WordOps(a, b string) []DiffOp {
	var ops []DiffOp
	d := WordDiff(a, b)
	for d != "" {
		switch {
		case strings.HasPrefix(d, "[-"):
			end := strings.Index(d, "-]")
			if end < 0 {
				end = len(d) - 2
			}
			ops = append(ops, DiffOp{'-', d[2:end]})
			d = strings.TrimPrefix(d[end+2:], " ")
		case strings.HasPrefix(d, "{+"):
			end := strings.Index(d, "+}")
			if end < 0 {
				end = len(d) - 2
			}
			ops = append(ops, DiffOp{'+', d[2:end]})
			d = strings.TrimPrefix(d[end+2:], " ")
		default:
			next := len(d)
			for _, m := range []string{" [-", " {+"} {
				if i := strings.Index(d, m); i >= 0 && i < next {
					next = i
				}
			}
			ops = append(ops, DiffOp{'=', d[:next]})
			d = strings.TrimPrefix(d[next:], " ")
		}
	}
	return ops
}
