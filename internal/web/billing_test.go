package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/billing"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/store/storetest"
)

// bankFile posts a statement to the bank upload form of a park.
func (s *site) bankFile(c *http.Client, parkID, csv string) (*http.Response, string) {
	s.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("park_id", parkID)
	part, _ := mw.CreateFormFile("file", "statement.csv")
	_, _ = part.Write([]byte(csv))
	_ = mw.Close()
	req, _ := http.NewRequest("POST", s.srv.URL+"/billing/bank", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return s.do(c, req)
}

// TestBillingPages walks receivables in the console: a run from the finance desk (a date left
// out refused at its field), the bill, a payment above everything open refused until confirmed
// as credit, a bank statement refused on its bad cells then booked, the aging exported with
// numbers as numbers, a notice as PDF; the tenant's page and its limits.
func TestBillingPages(t *testing.T) {
	s := newSite(t)
	w := s.world
	finance, tenant := s.login(identity.Finance), s.login(identity.EntAdmin)
	if _, err := storetest.ContractsOf(s.store).Create(context.Background(), identity.System(), leasing.Contract{Number: "HT-WEB-1",
		EnterpriseID: w.Enterprises[0].ID, StartOn: civil.Of(2025, 1, 1), EndOn: civil.Of(2025, 12, 31), Price: 50000, PaymentCycle: 1,
		DepositMonths: 1, Status: leasing.Active, Units: []leasing.ContractUnit{{UnitID: w.Units[0][0].ID}}}); err != nil {
		t.Fatal(err)
	}
	res, body := s.send(finance, "POST", "/billing", url.Values{"park_id": {w.Parks[0].ID}, "issue": {"true"}})
	if res.StatusCode != 422 || !strings.Contains(body, `id="e-billing_date"`) {
		t.Fatalf("a run without its date: %d", res.StatusCode)
	}
	res, _ = s.send(finance, "POST", "/billing", url.Values{"park_id": {w.Parks[0].ID}, "billing_date": {"2025-02-10"}, "issue": {"true"}})
	if res.StatusCode != 303 || !strings.Contains(res.Header.Get("Location"), "run_id=") {
		t.Fatalf("a run: %d", res.StatusCode)
	}
	_, body = s.send(finance, "GET", res.Header.Get("Location"), nil)
	if strings.Count(body, "/billing/bills/") < 2 {
		t.Fatalf("the run's bills are not listed")
	}
	if res, _ := s.send(tenant, "POST", "/billing", url.Values{"park_id": {w.Parks[0].ID}, "billing_date": {"2025-03-10"}}); res.StatusCode != 303 ||
		res.Header.Get("Location") != "/billing/mine" {
		t.Errorf("a tenant at the finance desk: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	pay := url.Values{"park_id": {w.Parks[0].ID}, "enterprise_id": {w.Enterprises[0].ID}, "paid_on": {"2025-02-12"}, "amount": {"99999999"}, "method": {"bank"}}
	res, body = s.send(finance, "POST", "/billing/payments/new", pay)
	if res.StatusCode != 422 || !strings.Contains(body, "as_credit") {
		t.Errorf("an overpayment not confirmed: %d", res.StatusCode)
	}
	res, body = s.bankFile(finance, w.Parks[0].ID, "交易日期,贷方金额,对方户名\n2025-02-12,12x,"+w.Enterprises[0].Name+"\n2025-02-12,100.00,无名公司\n")
	if res.StatusCode != 303 {
		t.Fatalf("bank upload: %d %s", res.StatusCode, body)
	}
	preview := res.Header.Get("Location")
	res, body = s.send(finance, "GET", preview, nil)
	if res.StatusCode != 422 || !strings.Contains(body, `id="problems"`) || !strings.Contains(body, "不是数字") || !strings.Contains(body, "本园区没有该付款企业") {
		t.Errorf("a statement with a bad amount and an unknown payer: %d", res.StatusCode)
	}
	if res, _ := s.send(finance, "POST", preview, nil); res.StatusCode != 422 {
		t.Errorf("booking a refused statement: %d", res.StatusCode)
	}
	res, _ = s.bankFile(finance, w.Parks[0].ID, "交易日期,贷方金额,对方户名\n2025-02-12,1000.00,"+w.Enterprises[0].Name+"\n")
	preview = res.Header.Get("Location")
	if res, body := s.send(finance, "POST", preview, nil); res.StatusCode != 200 || !strings.Contains(body, `id="bank-done"`) {
		t.Fatalf("booking a statement: %d", res.StatusCode)
	}
	open, _ := s.store.ListBills(context.Background(), identity.System(), billing.Filter{ParkID: w.Parks[0].ID, Status: billing.Issued}, page.Request{Limit: 1})
	if len(open.Items) == 0 {
		t.Fatal("no open bill")
	}
	target := open.Items[0]
	res, _ = s.send(finance, "POST", "/billing/bills/"+target.ID+"/pay", url.Values{"paid_on": {"2025-02-20"}, "amount": {"1.00"}, "method": {"cash"}})
	if res.StatusCode != 303 {
		t.Fatalf("a payment set by hand against a bill: %d", res.StatusCode)
	}
	if b, _ := s.store.GetBill(context.Background(), identity.System(), target.ID); b.Paid != target.Paid+100 || b.Status != billing.PartlyPaid {
		t.Errorf("the bill after 1.00 paid by hand: paid %s, %s", b.Paid, b.Status)
	}
	f, sheet := s.workbook(finance, "/billing/aging.xlsx?park_id="+w.Parks[0].ID)
	if v, _ := f.GetCellValue(sheet, "A2"); v != w.Enterprises[0].Name {
		t.Errorf("the aging workbook's first row: %q", v)
	}
	bills, _ := s.store.ListBills(context.Background(), identity.System(), billing.Filter{ParkID: w.Parks[0].ID}, page.Request{Limit: 10})
	res, body = s.send(tenant, "GET", "/billing/bills/"+bills.Items[0].ID+"/notice.pdf", nil)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF-") {
		t.Errorf("the tenant's notice as PDF: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	_, body = s.send(tenant, "GET", "/billing/mine", nil)
	if !strings.Contains(body, bills.Items[0].Number) || !strings.Contains(body, `id="my-payments"`) {
		t.Errorf("the tenant's own bills and payments")
	}
	res, body = s.send(tenant, "POST", "/billing/mine/invoice-details", url.Values{"name": {"x"}, "tax_id": {"91110108MA0000000X"}})
	if res.StatusCode != 422 || !strings.Contains(body, "校验位") {
		t.Errorf("a bad taxpayer number: %d", res.StatusCode)
	}
	if res, _ := s.send(tenant, "GET", "/billing/aging", nil); res.StatusCode != 403 {
		t.Errorf("a tenant's aging: %d", res.StatusCode)
	}
	if res, _ := s.send(finance, "POST", "/billing/settings", url.Values{"park_id": {w.Parks[0].ID}, "reminder_days": {"-3, x"}}); res.StatusCode != 422 {
		t.Errorf("a reminder schedule with a bad day: %d", res.StatusCode)
	}
	if res, _ := s.send(finance, "POST", "/billing/settings", url.Values{"park_id": {w.Parks[0].ID}, "reminder_days": {"-5, 0, 15"},
		"billing_from": {"2025-01-01"}}); res.StatusCode != 303 {
		t.Errorf("billing settings: %d", res.StatusCode)
	}
	if _, body := s.send(finance, "GET", "/billing/settings?park_id="+w.Parks[0].ID, nil); !strings.Contains(body, "-5, 0, 15") || !strings.Contains(body, "2025-01-01") {
		t.Errorf("the billing settings are not shown as saved")
	}
	other := s.loginAs(identity.UserInput{Username: "other_finance", Role: identity.Finance, ParkIDs: []string{w.Parks[1].ID}})
	if res, _ := s.send(other, "GET", "/billing/bills/"+bills.Items[0].ID, nil); res.StatusCode != 404 {
		t.Errorf("another park's finance opens the bill: %d", res.StatusCode)
	}
}
