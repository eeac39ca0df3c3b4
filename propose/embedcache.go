package propose

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// embedCache keeps the vectors already computed, by embedding model digest
// and text, so that a resumed or repeated run embeds only what is new:
// embedding tens of thousands of passages on a laptop CPU takes longer than
// the judging the retrieval saves. Each model digest has one append-only
// file of records (SHA-256 of the text, the vector's length, the vector as
// little-endian float32). It is a cache, not a record: a record cut by a
// crash is dropped at the next open, and deleting the directory only costs
// time.
type embedCache struct {
	mu   sync.Mutex
	f    *os.File
	w    *bufio.Writer
	vecs map[[32]byte][]float32
}

// embedCacheMagic starts every cache file, so that a file of another kind is
// never read as vectors.
const embedCacheMagic = "revue-embed/1\n"

// openEmbedCache opens (or creates) the cache of one embedding model in dir.
func openEmbedCache(dir, digest string) (*embedCache, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("embedding cache %s: %w", dir, err)
	}
	name := strings.NewReplacer(":", "-", "/", "-").Replace(digest)
	path := filepath.Join(dir, name+".vec")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("embedding cache: %w", err)
	}
	c := &embedCache{f: f, vecs: map[[32]byte][]float32{}}
	good, err := c.load(path)
	if err != nil {
		f.Close()
		return nil, err
	}
	// Drop a record cut by a crash, then append after the last whole one.
	if err := f.Truncate(good); err != nil {
		f.Close()
		return nil, fmt.Errorf("embedding cache %s: %w", path, err)
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("embedding cache %s: %w", path, err)
	}
	c.w = bufio.NewWriter(f)
	if good == 0 {
		c.w.WriteString(embedCacheMagic)
	}
	return c, nil
}

// load reads the whole records of the file and returns the offset after the
// last one.
func (c *embedCache) load(path string) (int64, error) {
	data, err := io.ReadAll(c.f)
	if err != nil {
		return 0, fmt.Errorf("embedding cache %s: %w", path, err)
	}
	if len(data) == 0 {
		return 0, nil
	}
	if !bytes.HasPrefix(data, []byte(embedCacheMagic)) {
		return 0, fmt.Errorf("embedding cache %s is not a Revue cache: delete it and run again", path)
	}
	off := len(embedCacheMagic)
	for {
		if len(data)-off < 36 {
			return int64(off), nil
		}
		var key [32]byte
		copy(key[:], data[off:])
		n := int(binary.LittleEndian.Uint32(data[off+32:]))
		end := off + 36 + 4*n
		if n == 0 || n > 1<<16 || end > len(data) {
			return int64(off), nil
		}
		v := make([]float32, n)
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[off+36+4*i:]))
		}
		c.vecs[key] = v
		off = end
	}
}

func embedKey(text string) [32]byte { return sha256.Sum256([]byte(text)) }

// get returns the vector of text, if it was computed before.
func (c *embedCache) get(text string) ([]float32, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.vecs[embedKey(text)]
	return v, ok
}

// put records the vectors of texts and writes them through, so that an
// interrupted run keeps every batch it finished.
func (c *embedCache) put(texts []string, vecs [][]float32) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var buf [4]byte
	for i, t := range texts {
		v := vecs[i]
		if len(v) == 0 {
			continue
		}
		key := embedKey(t)
		if _, ok := c.vecs[key]; ok {
			continue
		}
		c.vecs[key] = v
		c.w.Write(key[:])
		binary.LittleEndian.PutUint32(buf[:], uint32(len(v)))
		c.w.Write(buf[:])
		for _, x := range v {
			binary.LittleEndian.PutUint32(buf[:], math.Float32bits(x))
			c.w.Write(buf[:])
		}
	}
	return c.w.Flush()
}

// close writes what is buffered and closes the file.
func (c *embedCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return errors.Join(c.w.Flush(), c.f.Close())
}
