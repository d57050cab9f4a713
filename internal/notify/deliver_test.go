package notify

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestPublicClientRefusesTheLocalNetwork: the robots' HTTP client of a server refuses to post
// to loopback, private and link-local addresses, so a webhook cannot reach inside.
func TestPublicClientRefusesTheLocalNetwork(t *testing.T) {
	local := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer local.Close()
	c := PublicHTTPClient(2 * time.Second)
	for _, url := range []string{local.URL, "http://169.254.169.254/latest", "http://10.0.0.1/", "http://[::1]:9/"} {
		res, err := c.Post(url, "application/json", strings.NewReader("{}"))
		if err == nil {
			res.Body.Close()
			t.Errorf("posted to %s", url)
		} else if !strings.Contains(err.Error(), "non-public") {
			t.Errorf("%s: %v, want a refusal of the address", url, err)
		}
	}
}
