package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/sheet"
)

// As the park manager: export the units CSV, upload it edited, preview the change, see a bad
// cell refused with a marked copy, commit the good file; tenants have no such page.
func TestOnboardingPageExportUploadCommit(t *testing.T) {
	s := newSite(t)
	w := s.world
	manager := s.login(identity.ParkManager)
	res, body := s.send(manager, "GET", "/onboarding", nil)
	if res.StatusCode != 200 || !strings.Contains(body, `id="export-form"`) || !strings.Contains(body, `id="upload"`) {
		t.Fatalf("onboarding page: %d", res.StatusCode)
	}
	res, csv := s.send(manager, "GET", "/onboarding/export?entity=units&park_id="+w.Parks[0].ID, nil)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || !strings.Contains(csv, "A-3-302,办公,") {
		t.Fatalf("units CSV: %d %s\n%s", res.StatusCode, res.Header.Get("Content-Type"), csv)
	}
	if res, _ = s.send(manager, "GET", "/onboarding/export?park_id="+w.Parks[1].ID, nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another park's export: %d", res.StatusCode)
	}
	res, book := s.send(manager, "GET", "/onboarding/export", nil)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != xlsxType {
		t.Fatalf("workbook export: %d", res.StatusCode)
	}
	if _, err := sheet.Read([]byte(book), sheet.DefaultLimits); err != nil {
		t.Fatalf("the exported workbook does not read: %v", err)
	}

	res, body = s.upload(manager, "/onboarding/upload", strings.Repeat("名", 100)+".csv", []byte(csv))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "文件名须为不超过 255 字节的文本") {
		t.Fatalf("a file name of 304 bytes: %d", res.StatusCode)
	}

	bad := strings.Replace(csv, "A-3-302,办公,200", "A-3-302,办公,二百", 1)
	res, _ = s.upload(manager, "/onboarding/upload", "units.csv", []byte(bad))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	preview := res.Header.Get("Location")
	res, body = s.send(manager, "GET", preview, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="problems"`) || !strings.Contains(body, "<td>F</td>") ||
		strings.Contains(body, `id="commit"`) {
		t.Fatalf("bad preview: %d", res.StatusCode)
	}
	if res, _ = s.send(manager, "GET", preview+"/annotated.xlsx", nil); res.StatusCode != 200 {
		t.Fatalf("annotated copy: %d", res.StatusCode)
	}

	good := strings.Replace(csv, "A-3-302,办公,", "A-3-302,实验室,", 1)
	res, _ = s.upload(manager, "/onboarding/upload", "units.csv", []byte(good))
	preview = res.Header.Get("Location")
	if _, body = s.send(manager, "GET", preview, nil); !strings.Contains(body, `id="commit"`) || !strings.Contains(body, `<td class="num">1</td>`) {
		t.Fatalf("good preview:\n%s", body)
	}
	if u, _ := s.store.GetUnit(t.Context(), identity.System(), w.Units[0][1].ID); u.Kind != "office" {
		t.Fatalf("the preview changed the unit to %s", u.Kind)
	}
	if res, _ = s.send(s.login(identity.Admin), "GET", preview, nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another user's upload: %d", res.StatusCode)
	}
	res, _ = s.send(manager, "POST", preview+"/commit", url.Values{})
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "imported=1") {
		t.Fatalf("commit: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if u, _ := s.store.GetUnit(t.Context(), identity.System(), w.Units[0][1].ID); u.Kind != "lab" {
		t.Fatalf("the commit left the unit %s", u.Kind)
	}
	if res, _ = s.send(s.login(identity.EntAdmin), "GET", "/onboarding", nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("tenant: %d", res.StatusCode)
	}
}
