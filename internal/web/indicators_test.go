package web

import (
	"net/http"
	"net/url"
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
	res, body = s.send(s.login(identity.Authority), "GET", "/indicators?indicator=revenue&year=2025&quarter=3", nil)
	if res.StatusCode != 200 || !strings.Contains(body, "2025 年第 3 季度各园区数值") || !strings.Contains(body, `<option value="3" selected>第 3 季度</option>`) {
		t.Errorf("a quarter's values: %d", res.StatusCode)
	}
	res, body = s.send(s.login(identity.Authority), "GET", "/indicators?quarter=7", nil)
	if res.StatusCode != 422 || !strings.Contains(body, "季度应为 1–4") {
		t.Errorf("a bad quarter: %d", res.StatusCode)
	}
}

// TestPoolPages: the authority enters a park into the pool with the form, changes its tier (a
// back-dated decision is refused on the page naming the field, and changes nothing), and
// recognises it; the park's indicators open from its pool page; park staff cannot decide.
func TestPoolPages(t *testing.T) {
	s := newSite(t)
	w := s.world
	auth := s.login(identity.Authority)
	p0 := w.Parks[0].ID
	res, _ := s.send(auth, "POST", "/pool/new", url.Values{"park_id": {p0}, "entered_on": {"2024-01-01"}, "tier": {"planning"}, "reason": {"首批入库"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/pool/"+p0 {
		t.Fatalf("enter: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res, body := s.send(auth, "POST", "/pool/"+p0+"/tier", url.Values{"tier": {"key"}, "effective_on": {"2023-06-01"}, "reason": {"倒签"}})
	if res.StatusCode != 422 || !strings.Contains(body, "effective_on") || !strings.Contains(body, "生效日期不能早于") {
		t.Fatalf("a back-dated decision: %d", res.StatusCode)
	}
	s.send(auth, "POST", "/pool/"+p0+"/tier", url.Values{"tier": {"key"}, "effective_on": {"2025-01-01"}, "reason": {"评价第一"}})
	s.send(auth, "POST", "/pool/"+p0+"/recognitions", url.Values{"year": {"2025"}})
	_, body = s.send(auth, "GET", "/pool/"+p0, nil)
	for _, want := range []string{"重点打造", "评价第一", "首批入库", `<span id="featured-years">2025</span>`, "/indicators?park_id=" + p0} {
		if !strings.Contains(body, want) {
			t.Errorf("pool page lacks %q", want)
		}
	}
	if strings.Count(body, "倒签") != 0 {
		t.Error("the refused decision was recorded")
	}
	_, body = s.send(auth, "GET", "/pool?tier=key", nil)
	if !strings.Contains(body, w.Parks[0].NameZh) {
		t.Error("the key tier lists the park")
	}
	res, body = s.send(auth, "GET", "/indicators?park_id="+p0+"&year=2025", nil)
	if res.StatusCode != 200 || !strings.Contains(body, `id="park-indicators"`) || !strings.Contains(body, "研发投入强度") {
		t.Errorf("the park's indicators: %d", res.StatusCode)
	}
	pm := s.login(identity.ParkManager)
	res, body = s.send(pm, "GET", "/pool/"+p0, nil)
	if res.StatusCode != 200 || strings.Contains(body, `id="change-tier"`) {
		t.Errorf("park staff read their park's entry without deciding: %d", res.StatusCode)
	}
	if res, _ = s.send(pm, "POST", "/pool/"+p0+"/tier", url.Values{"tier": {"reserve"}, "effective_on": {"2026-01-01"}, "reason": {"自调"}}); res.StatusCode != 403 {
		t.Errorf("park staff changed a tier: %d", res.StatusCode)
	}
	if res, _ = s.send(pm, "GET", "/indicators?park_id="+w.Parks[1].ID, nil); res.StatusCode != 404 {
		t.Errorf("another park's indicators: %d", res.StatusCode)
	}
}

// TestGoalPages: the authority sets the seed's goal with the form, records 2022's 800 亿, and the
// page shows 19.36 %, behind, and 23.31 % from then on; a bad form names its field.
func TestGoalPages(t *testing.T) {
	s := newSite(t)
	auth := s.login(identity.Authority)
	res, body := s.send(auth, "POST", "/goals/new", url.Values{"name": {"昌平 营业收入翻一番"}, "indicator": {"revenue"}, "group": {"district:昌平区"},
		"baseline_year": {"2021"}, "baseline_value": {"739"}, "target_year": {"2020"}, "target_value": {"1500"}})
	if res.StatusCode != 422 || !strings.Contains(body, "目标年份应晚于基期年份") {
		t.Fatalf("a target before its baseline: %d", res.StatusCode)
	}
	res, _ = s.send(auth, "POST", "/goals/new", url.Values{"name": {"昌平 营业收入翻一番"}, "indicator": {"revenue"}, "group": {"district:昌平区"},
		"baseline_year": {"2021"}, "baseline_value": {"739"}, "target_year": {"2025"}, "target_value": {"1500"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("set a goal: %d", res.StatusCode)
	}
	goal := res.Header.Get("Location")
	s.send(auth, "POST", goal+"/actuals", url.Values{"year": {"2022"}, "value": {"800"}})
	_, body = s.send(auth, "GET", goal, nil)
	for _, want := range []string{`id="kpi-required">19.36 %`, "落后于进度", `id="kpi-remaining">23.31 %`, "录入（官方统计）", `id="goal-data"`} {
		if !strings.Contains(body, want) {
			t.Errorf("goal page lacks %q", want)
		}
	}
	_, body = s.send(auth, "GET", "/goals", nil)
	if !strings.Contains(body, "昌平 营业收入翻一番") || !strings.Contains(body, "19.36 %") {
		t.Error("the goal list")
	}
	if res, _ = s.send(s.login(identity.ParkManager), "GET", goal, nil); res.StatusCode != 404 {
		t.Errorf("park staff opened a district goal: %d", res.StatusCode)
	}
}

// TestEvaluationPages: the authority starts a scheme from a template, runs it, reads the
// ranking with its explanations, and exports it; the scheme is then frozen. Park staff have no
// evaluation.
func TestEvaluationPages(t *testing.T) {
	s := newSite(t)
	auth := s.login(identity.Authority)
	res, _ := s.send(auth, "POST", "/evaluation/templates/featured", url.Values{})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("scheme from template: %d", res.StatusCode)
	}
	scheme := res.Header.Get("Location")
	res, body := s.send(auth, "POST", scheme+"/runs", url.Values{"year": {"1999"}, "group": {"all"}})
	if res.StatusCode != 422 || !strings.Contains(body, "year") {
		t.Fatalf("a run for 1999: %d", res.StatusCode)
	}
	res, _ = s.send(auth, "POST", scheme+"/runs", url.Values{"year": {"2025"}, "group": {"all"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("run: %d", res.StatusCode)
	}
	run := res.Header.Get("Location")
	_, body = s.send(auth, "GET", run, nil)
	for _, want := range []string{s.world.Parks[0].NameZh, "未达门槛，不予推荐", "缺失，记 0 分", `id="export-run"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the run page lacks %q", want)
		}
	}
	res, _ = s.send(auth, "GET", run+"/xlsx", nil)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "evaluation-2025") {
		t.Errorf("export: %d %s", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	_, body = s.send(auth, "GET", scheme, nil)
	if !strings.Contains(body, `id="scheme-frozen"`) {
		t.Error("the scheme is frozen once run")
	}
	if res, _ = s.send(s.login(identity.ParkManager), "GET", run, nil); res.StatusCode != 404 {
		t.Errorf("park staff opened a run: %d", res.StatusCode)
	}
}

// TestIndicatorForm: the authority adds an indicator in the browser; a misspelt measure is
// refused naming the formula's column, and park staff are not offered the form.
func TestIndicatorForm(t *testing.T) {
	s := newSite(t)
	auth := s.login(identity.Authority)
	form := url.Values{"code": {"tax_per_staff"}, "name_zh": {"人均纳税"}, "name_en": {"Tax per employee"}, "unit": {"元/人"},
		"formula": {"tax / employes"}, "basis": {"staff"}, "higher_is_better": {"true"}}
	res, body := s.send(auth, "POST", "/indicators/new", form)
	if res.StatusCode != 422 || !strings.Contains(body, "第 1 行第 7 列") {
		t.Fatalf("a misspelt measure: %d", res.StatusCode)
	}
	form.Set("formula", "tax / employees")
	if res, _ = s.send(auth, "POST", "/indicators/new", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d", res.StatusCode)
	}
	_, body = s.send(auth, "GET", "/indicators?indicator=tax_per_staff", nil)
	if !strings.Contains(body, "人均纳税") || !strings.Contains(body, "tax / employees") {
		t.Error("the new indicator's page")
	}
	if _, body = s.send(s.login(identity.ParkManager), "GET", "/indicators", nil); strings.Contains(body, `id="new-indicator"`) {
		t.Error("park staff are offered the indicator form")
	}
}

// TestParkDataForms: the authority records a park's own figures for a year and an attribute
// from the park's indicator page; a negative revenue is refused naming the field.
func TestParkDataForms(t *testing.T) {
	s := newSite(t)
	auth := s.login(identity.Authority)
	p0 := s.world.Parks[0].ID
	res, body := s.send(auth, "POST", "/indicators/parks/"+p0+"/submissions", url.Values{"year": {"2025"}, "revenue": {"-5"}})
	if res.StatusCode != 422 || !strings.Contains(body, "figures.revenue") {
		t.Fatalf("a negative revenue: %d", res.StatusCode)
	}
	if res, _ = s.send(auth, "POST", "/indicators/parks/"+p0+"/submissions", url.Values{"year": {"2025"}, "revenue": {"2000000000"}, "employees": {"100"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.StatusCode)
	}
	if res, _ = s.send(auth, "POST", "/indicators/parks/"+p0+"/attributes", url.Values{"key": {"land_area"}, "value": {"1000000"}, "effective_on": {"2025-01-01"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("attribute: %d", res.StatusCode)
	}
	_, body = s.send(auth, "GET", "/indicators?park_id="+p0+"&year=2025", nil)
	for _, want := range []string{"20.00 亿元", "20.00 亿元/km²", "园区整体填报", "land_area"} {
		if !strings.Contains(body, want) {
			t.Errorf("the park's page lacks %q", want)
		}
	}
}

// TestPoolImportPage: the authority uploads the initial pool as CSV; a bad tier is shown by
// cell and nothing enters; the good file enters both parks.
func TestPoolImportPage(t *testing.T) {
	s := newSite(t)
	w := s.world
	auth := s.login(identity.Authority)
	_, body := s.send(auth, "GET", "/pool", nil)
	if !strings.Contains(body, `id="import"`) {
		t.Error("the pool list offers the import")
	}
	head := "园区编码,入库日期,梯队,理由,特色产业园认定年度\n"
	res, body := s.upload(auth, "/pool/import", "pool.csv", []byte(head+w.Parks[0].Code+",2024-03-01,王牌,首批,\n"))
	if res.StatusCode != 422 || !strings.Contains(body, "C2 梯队") {
		t.Fatalf("a bad tier: %d", res.StatusCode)
	}
	res, body = s.upload(auth, "/pool/import", "pool.csv", []byte(head+w.Parks[0].Code+",2024-03-01,重点打造,首批,2024\n"+w.Parks[1].Code+",2024-03-01,规划布局,首批,\n"))
	if res.StatusCode != 200 || !strings.Contains(body, `id="import-done"`) {
		t.Fatalf("import: %d", res.StatusCode)
	}
	_, body = s.send(auth, "GET", "/pool", nil)
	if !strings.Contains(body, w.Parks[0].NameZh) || !strings.Contains(body, w.Parks[1].NameZh) {
		t.Error("both parks are in the pool")
	}
	if res, _ = s.send(s.login(identity.ParkManager), "GET", "/pool/import", nil); res.StatusCode != 403 {
		t.Errorf("park staff opened the pool import: %d", res.StatusCode)
	}
}

// TestSubmissionsImportPage: parks' own figures from a CSV in 万元; a bad cell is shown by cell
// and nothing is written.
func TestSubmissionsImportPage(t *testing.T) {
	s := newSite(t)
	auth := s.login(identity.Authority)
	code := s.world.Parks[0].Code
	head := "园区编码,年度,营业收入（万元）,从业人员期末人数\n"
	res, body := s.upload(auth, "/indicators/submissions", "figures.csv", []byte(head+code+",2025,abc,10\n"))
	if res.StatusCode != 422 || !strings.Contains(body, "C2 营业收入") {
		t.Fatalf("a bad amount: %d", res.StatusCode)
	}
	res, body = s.upload(auth, "/indicators/submissions", "figures.csv", []byte(head+code+",2025,200000,10\n"))
	if res.StatusCode != 200 || !strings.Contains(body, `id="import-done"`) {
		t.Fatalf("import: %d", res.StatusCode)
	}
	_, body = s.send(auth, "GET", "/indicators?park_id="+s.world.Parks[0].ID+"&year=2025", nil)
	if !strings.Contains(body, "20.00 亿元") || !strings.Contains(body, "园区整体填报") {
		t.Error("the park shows its own 2025 figures (20 亿)")
	}
}
