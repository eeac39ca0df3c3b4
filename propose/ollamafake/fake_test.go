package ollamafake

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/ollama/ollama/api"
)

func client(t *testing.T, s *Server) *api.Client {
	t.Helper()
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	return api.NewClient(u, s.Client())
}

// TestFaultsAsTheRealClientSeesThem checks the fake against what the real
// client returns for each failure, as STACK.md describes Ollama's.
func TestFaultsAsTheRealClientSeesThem(t *testing.T) {
	tests := []struct {
		fault      Fault
		status     int // StatusError code, 0 if none
		plainErr   string
		noDone     bool
		doneReason string
	}{
		{None, 0, "", false, "stop"},
		{NotFound, 404, "", true, ""},
		{Unavailable, 503, "", true, ""},
		{TooMany, 429, "", true, ""},
		{ServerError, 500, "", true, ""},
		{MidStream, 0, "unexpected EOF", true, ""},
		{EmptyBody, 0, "", true, ""},
		{Malformed, 0, "", false, "stop"},
		{Length, 0, "", false, "length"},
		{Overflow, 0, "", false, "stop"},
		{OutOfRange, 0, "", false, "stop"},
		{StringNumber, 0, "", false, "stop"},
	}
	for _, tc := range tests {
		t.Run(string(tc.fault)+"/", func(t *testing.T) {
			s := New(Model{Name: "qwen3:4b", Digest: "sha256:abc"})
			defer s.Close()
			s.SetAnswer(func(Call) string { return `{"quote":"un extrait","statement":"oui","relevant":true,"confidence":0.9}` })
			s.SetFault(func(Call) Fault { return tc.fault })
			var done *api.ChatResponse
			var content strings.Builder
			err := client(t, s).Chat(context.Background(), &api.ChatRequest{Model: "qwen3:4b",
				Messages: []api.Message{{Role: "user", Content: "x"}}}, func(r api.ChatResponse) error {
				content.WriteString(r.Message.Content)
				if r.Done {
					done = &r
				}
				return nil
			})
			var se api.StatusError
			switch {
			case tc.status != 0:
				if !errors.As(err, &se) || se.StatusCode != tc.status {
					t.Fatalf("err = %#v, want status %d", err, tc.status)
				}
			case tc.plainErr != "":
				if err == nil || errors.As(err, &se) || !strings.Contains(err.Error(), tc.plainErr) {
					t.Fatalf("err = %#v", err)
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
			}
			if (done == nil) != tc.noDone {
				t.Fatalf("done message: %v, want none: %v", done, tc.noDone)
			}
			if done != nil && (done.DoneReason != tc.doneReason || done.EvalCount == 0 || done.TotalDuration == 0) {
				t.Fatalf("done %+v", done)
			}
			if tc.fault == Malformed && strings.HasSuffix(content.String(), "}") {
				t.Fatalf("malformed content %q is well formed", content.String())
			}
			if v, ok := confidenceValue[tc.fault]; ok {
				want := `{"quote":"un extrait","statement":"oui","relevant":true,"confidence":` + v + `}`
				if content.String() != want {
					t.Fatalf("content %q, want %q", content.String(), want)
				}
			}
		})
	}
}

func TestEndpoints(t *testing.T) {
	s := New(Model{Name: "qwen3:4b", Digest: "sha256:abc"}, Model{Name: "bge-m3:latest", Digest: "sha256:def"})
	defer s.Close()
	c := client(t, s)
	ctx := context.Background()
	if err := c.Heartbeat(ctx); err != nil {
		t.Fatal(err)
	}
	if v, err := c.Version(ctx); err != nil || v != "0.17.4" {
		t.Fatalf("version %q %v", v, err)
	}
	list, err := c.List(ctx)
	if err != nil || len(list.Models) != 2 || list.Models[0].Digest != "sha256:abc" {
		t.Fatalf("list %+v %v", list, err)
	}
	if _, err := c.Show(ctx, &api.ShowRequest{Model: "qwen3:4b"}); err != nil {
		t.Fatal(err)
	}
	var se api.StatusError
	if _, err := c.Show(ctx, &api.ShowRequest{Model: "llama9"}); !errors.As(err, &se) || se.StatusCode != 404 {
		t.Fatalf("show of a missing model: %v", err)
	}
	res, err := c.Embed(ctx, &api.EmbedRequest{Model: "bge-m3", Input: []string{"le vote", "la médiation"}})
	if err != nil || len(res.Embeddings) != 2 || len(res.Embeddings[0]) != HashDims {
		t.Fatalf("embed %v", err)
	}
	one, err := c.Embed(ctx, &api.EmbedRequest{Model: "bge-m3", Input: "le vote"})
	if err != nil || len(one.Embeddings) != 1 {
		t.Fatalf("embed one: %v", err)
	}
	var norm float64
	for _, x := range one.Embeddings[0] {
		norm += float64(x) * float64(x)
	}
	if norm < 0.999 || norm > 1.001 {
		t.Fatalf("vector not normalised: %v", norm)
	}
	off := false
	var got []api.ChatResponse
	err = c.Chat(ctx, &api.ChatRequest{Model: "qwen3:4b", Stream: &off, Messages: []api.Message{{Role: "user", Content: "x"}}},
		func(r api.ChatResponse) error { got = append(got, r); return nil })
	if err != nil || len(got) != 1 || !got[0].Done {
		t.Fatalf("stream:false gave %d messages, %v", len(got), err)
	}
	if s.Chats() != 1 || s.Embeds() != 2 {
		t.Fatalf("counters %d %d", s.Chats(), s.Embeds())
	}
}
