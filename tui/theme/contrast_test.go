package theme

import (
	"image/color"
	"math"
	"testing"
)

// luminance is the relative luminance of WCAG 2.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		x := float64(v) / 0xffff
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is the WCAG contrast ratio of two colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// TestHintContrast computes, from the theme's own colours, the contrast of
// every part of the key-hint bar against the background it is drawn for:
// at least 4.5:1 (WCAG AA for text), on a white wall as on a dark
// terminal. Bubbles' default light hints were about 2:1.
func TestHintContrast(t *testing.T) {
	for _, tc := range []struct {
		name string
		dark bool
		bg   color.Color
	}{
		{"light on white", false, color.RGBA{0xff, 0xff, 0xff, 0xff}},
		{"light on a projector's off-white", false, color.RGBA{0xf5, 0xf5, 0xf0, 0xff}},
		{"dark on black", true, color.RGBA{0, 0, 0, 0xff}},
		{"dark on a terminal's grey", true, color.RGBA{0x1e, 0x1e, 0x1e, 0xff}},
	} {
		h := New(tc.dark, false).Help
		for part, st := range map[string]interface{ GetForeground() color.Color }{
			"key": h.ShortKey, "description": h.ShortDesc, "separator": h.ShortSeparator, "ellipsis": h.Ellipsis,
			"full key": h.FullKey, "full description": h.FullDesc,
		} {
			fg := st.GetForeground()
			if fg == nil {
				t.Fatalf("%s: the %s has no colour of its own", tc.name, part)
			}
			if r := contrast(fg, tc.bg); r < 4.5 {
				t.Errorf("%s: the %s is %.2f:1, want at least 4.5:1", tc.name, part, r)
			}
		}
	}
}
