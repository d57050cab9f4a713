package booking

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parkos/parkos/internal/civil"
)

// TestICS: lines end in CRLF and fold at 75 octets without splitting a character, text is
// escaped, and times are Shanghai wall-clock times with the zone defined.
func TestICS(t *testing.T) {
	start := time.Date(2026, 12, 8, 10, 0, 0, 0, civil.Shanghai)
	doc := string(ICS("P2 实验室", []Event{{UID: "b1@parkos", Start: start, End: start.Add(90 * time.Minute), Stamp: start,
		Summary: "P2 实验台, A-01; 北京四季青生命科技园 " + strings.Repeat("细胞", 30), Tentative: true}}))
	if !strings.Contains(doc, "DTSTART;TZID=Asia/Shanghai:20261208T100000\r\n") || !strings.Contains(doc, "DTEND;TZID=Asia/Shanghai:20261208T113000\r\n") {
		t.Errorf("times:\n%s", doc)
	}
	if !strings.Contains(doc, `SUMMARY:P2 实验台\, A-01\; 北京`) || !strings.Contains(doc, "STATUS:TENTATIVE") || !strings.Contains(doc, "TZOFFSETTO:+0800") {
		t.Errorf("text and status:\n%s", doc)
	}
	for _, l := range strings.Split(strings.TrimSuffix(doc, "\r\n"), "\r\n") {
		if len(l) > 75 || !utf8.ValidString(l) || strings.Contains(l, "\n") {
			t.Errorf("line of %d octets (or a split character): %q", len(l), l)
		}
	}
	if unfolded := strings.ReplaceAll(doc, "\r\n ", ""); !strings.Contains(unfolded, strings.Repeat("细胞", 30)) {
		t.Error("folding lost text")
	}
}
