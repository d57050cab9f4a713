package web

import (
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/identity"
)

// TestIndicatorsPage: the authority sees every park with the group row, missing figures shown
// as missing (the fixture's parks have no approved reports), never as 0; an operator sees only
// its own park; a bad year is refused naming the field.
func TestIndicatorsPage(t *testing.T) {
	s := newSite(t)
	w := s.world
	res, body := s.send(s.login(identity.Authority), "GET", "/indicators?indicator=land_output&year=2025", nil)
	if res.StatusCode != 200 {
		t.Fatalf("authority: %d", res.StatusCode)
	}
	for _, want := range []string{"地均产出", "(revenue / 1e8) / (land_area / 1e6)", w.Parks[0].NameZh, w.Parks[1].NameZh, "合计（可见园区）", "缺失", "0/2 个园区"} {
		if !strings.Contains(body, want) {
			t.Errorf("authority's page lacks %q", want)
		}
	}
	if strings.Contains(body, "0.00 亿元/km²") {
		t.Error("a missing land output is shown as 0")
	}
	_, body = s.send(s.login(identity.ParkManager), "GET", "/indicators", nil)
	if !strings.Contains(body, w.Parks[0].NameZh) || strings.Contains(body, w.Parks[1].NameZh) {
		t.Error("an operator must see its own park and no other")
	}
	res, body = s.send(s.login(identity.Authority), "GET", "/indicators?year=abc", nil)
	if res.StatusCode != 422 || !strings.Contains(body, "应为整数") {
		t.Errorf("a bad year: %d %s", res.StatusCode, body)
	}
}
