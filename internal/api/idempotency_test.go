package api

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/parkos/parkos/internal/identity"
)

// keyed sends a POST with an Idempotency-Key as role.
func (e *env) keyed(role identity.Role, path, key, body string) (int, string, http.Header) {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	req.Header.Set("Idempotency-Key", key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

func (e *env) leadCount(t *testing.T, company string) int {
	t.Helper()
	_, body := e.raw(identity.Admin, "GET", "/api/v1/leads?limit=500", nil)
	return strings.Count(body, company)
}

// The same Idempotency-Key and body twice creates one lead and answers the same twice; the key
// with another body is refused; a failed request frees its key; another user's key is theirs;
// ten requests at once with one key create one lead. Before, every request created a lead.
func TestIdempotencyKeys(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		park := e.world.Parks[0].ID
		body := `{"park_id":"` + park + `","company":"幂等线索甲"}`
		s1, b1, _ := e.keyed(identity.ParkManager, "/api/v1/leads", "key-1", body)
		s2, b2, h2 := e.keyed(identity.ParkManager, "/api/v1/leads", "key-1", body)
		if s1 != 201 || s2 != 201 || b1 != b2 || h2.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("repeat: %d %d, replayed %q\n%s\n%s", s1, s2, h2.Get("Idempotent-Replayed"), b1, b2)
		}
		if n := e.leadCount(t, "幂等线索甲"); n != 1 {
			t.Errorf("%d leads after the same request twice", n)
		}
		if status, answer, _ := e.keyed(identity.ParkManager, "/api/v1/leads", "key-1", `{"park_id":"`+park+`","company":"另一条"}`); status != 422 ||
			!strings.Contains(answer, `"reused"`) {
			t.Errorf("the key with another body: %d %s", status, answer)
		}
		if status, _, _ := e.keyed(identity.ParkManager, "/api/v1/leads", strings.Repeat("k", 256), body); status != 422 {
			t.Errorf("a 256-character key: %d", status)
		}
		if status, _, _ := e.keyed(identity.ParkManager, "/api/v1/leads", "", body); status != 422 {
			t.Errorf("an empty key: %d", status)
		}
		// The same object with other spacing and key order is the same request.
		reordered := "{ \"company\": \"幂等线索甲\",\n  \"park_id\": \"" + park + "\" }"
		if status, answer, h := e.keyed(identity.ParkManager, "/api/v1/leads", "key-1", reordered); status != 201 || answer != b1 ||
			h.Get("Idempotent-Replayed") != "true" {
			t.Errorf("the same body reformatted: %d %s", status, answer)
		}
		// A new API token is a secret shown once: never kept, so the route takes no key.
		if status, answer, _ := e.keyed(identity.ParkManager, "/api/v1/tokens", "key-t", `{"name":"script"}`); status != 422 ||
			!strings.Contains(answer, `"not_accepted"`) {
			t.Errorf("a token with an idempotency key: %d %s", status, answer)
		}
		// A refused request frees its key for the corrected one.
		if status, _, _ := e.keyed(identity.ParkManager, "/api/v1/leads", "key-2", `{"park_id":"`+park+`"}`); status != 422 {
			t.Fatalf("a lead without a company: %d", status)
		}
		if status, _, _ := e.keyed(identity.ParkManager, "/api/v1/leads", "key-2", `{"park_id":"`+park+`","company":"幂等线索乙"}`); status != 201 {
			t.Errorf("the key after a refused request: %d", status)
		}
		// Keys are per user.
		if status, answer, h := e.keyed(identity.Leasing, "/api/v1/leads", "key-1", body); status != 201 || h.Get("Idempotent-Replayed") != "" || answer == b1 {
			t.Errorf("another user's key-1: %d, replayed %q", status, h.Get("Idempotent-Replayed"))
		}
		// Ten at once with one key: one lead; every answer is that lead or "still running".
		concurrent := `{"park_id":"` + park + `","company":"幂等线索丙"}`
		var wg sync.WaitGroup
		var mu sync.Mutex
		ids := map[string]int{}
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				status, answer, _ := e.keyed(identity.ParkManager, "/api/v1/leads", "key-3", concurrent)
				mu.Lock()
				defer mu.Unlock()
				switch status {
				case 201:
					var l struct{ ID string }
					_ = json.Unmarshal([]byte(answer), &l)
					ids[l.ID]++
				case 409:
				default:
					t.Errorf("a concurrent request: %d %s", status, answer)
				}
			}()
		}
		wg.Wait()
		if len(ids) != 1 {
			t.Errorf("ten requests with one key answered with leads %v", ids)
		}
		if n := e.leadCount(t, "幂等线索丙"); n != 1 {
			t.Errorf("%d leads from ten requests with one key", n)
		}
	})
}
