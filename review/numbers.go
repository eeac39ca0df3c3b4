package review

import "time"

// FormatFloat, FormatInt, FormatPct, FormatDuration and FormatCoef write
// numbers as `revue report` does (French: 1 234,5 and 42 %; English:
// 1,234.5 and 42%), so that the dossier and the report's page say the
// same figures the same way as the terminal report.
func FormatFloat(lang string, x float64, decimals int) string { return fmtFloat(lang, x, decimals) }

// FormatInt writes a whole number with the language's thousands separator.
func FormatInt(lang string, n int64) string { return fmtInt(lang, n) }

// FormatPct writes n/d as a whole percentage, or a dash when d is zero.
func FormatPct(lang string, n, d int) string { return fmtPct(lang, n, d) }

// FormatDuration writes a duration rounded to the second, in s, min or h.
func FormatDuration(d time.Duration) string { return fmtDur(d) }

// FormatCoef writes an agreement coefficient with its interval and n.
func FormatCoef(lang string, c Coefficient) string { return fmtCoef(lang, c) }
