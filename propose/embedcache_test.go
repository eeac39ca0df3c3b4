package propose

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/coopdescommuns/revue/propose/ollamafake"
)

// TestEmbedCacheSparesASecondRun checks that a rerun, here with another
// budget so that every pair is new, embeds nothing that was embedded
// before, and retrieves the same.
func TestEmbedCacheSparesASecondRun(t *testing.T) {
	f := newFake(t)
	f.SetEmbedder(func(s string) []float32 { return ollamafake.HashEmbedWords(Terms(s)) })
	dir := t.TempDir()
	run := func(perCriterion int) int {
		tr := &trace{st: newState(t, testDocs, testCriteria)}
		var p pauses
		cfg := testConfig(&p, f.URL)
		cfg.EmbedModel, cfg.EmbedCache, cfg.PerCriterion = "bge-m3", dir, perCriterion
		before := f.Embeds()
		if _, err := Run(context.Background(), tr.st.Snapshot(), cfg, tr.sink, nil); err != nil {
			t.Fatal(err)
		}
		return f.Embeds() - before
	}
	if n := run(1); n == 0 {
		t.Fatal("the first run embedded nothing")
	}
	if n := run(2); n != 0 {
		t.Fatalf("the second run made %d embed calls; the cache should have answered", n)
	}
}

func TestEmbedCacheDropsACutRecord(t *testing.T) {
	dir := t.TempDir()
	c, err := openEmbedCache(dir, "sha256:abc")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.put([]string{"un", "deux"}, [][]float32{{1, 2, 3}, {4, 5, 6}}); err != nil {
		t.Fatal(err)
	}
	c.close()
	path := filepath.Join(dir, "sha256-abc.vec")
	data, _ := os.ReadFile(path)
	// A crash in the middle of the second record.
	if err := os.WriteFile(path, data[:len(data)-5], 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = openEmbedCache(dir, "sha256:abc")
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := c.get("un"); !ok || len(v) != 3 || v[2] != 3 {
		t.Fatalf("the whole record was lost: %v %v", v, ok)
	}
	if _, ok := c.get("deux"); ok {
		t.Fatal("a cut record was read")
	}
	if err := c.put([]string{"trois"}, [][]float32{{7}}); err != nil {
		t.Fatal(err)
	}
	c.close()
	c, _ = openEmbedCache(dir, "sha256:abc")
	defer c.close()
	if v, ok := c.get("trois"); !ok || v[0] != 7 {
		t.Fatal("a record written after the repair was lost")
	}
	if err := os.WriteFile(filepath.Join(dir, "other.vec"), []byte("not a cache"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := openEmbedCache(dir, "other"); err == nil {
		t.Fatal("a foreign file was read as a cache")
	}
}
