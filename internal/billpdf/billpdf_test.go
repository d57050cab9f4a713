package billpdf

import (
	"bytes"
	"testing"

	"github.com/parkos/parkos/internal/billing"
	"github.com/parkos/parkos/internal/civil"
)

// A notice and a statement come out as PDF documents with the CJK font embedded (make test
// installs it: scripts/ensure-pdf-font).
func TestNoticeAndStatementArePDF(t *testing.T) {
	b := billing.Bill{Number: "ZD-P0-202602-000001", ParkName: "北京四季青生命科技园", EnterpriseName: "测试企业有限公司",
		BillingDate: civil.Of(2026, 2, 10), DueOn: civil.Of(2026, 2, 10), Net: 1395260, Tax: 125573, Gross: 1520833, Outstanding: 1520833,
		Lines: []billing.Line{{ChargeType: "rent", From: civil.Of(2026, 1, 1), To: civil.Of(2026, 1, 31), Net: 1395260, Tax: 125573, Gross: 1520833}}}
	notice, err := Notice(b, &billing.InvoiceDetails{Name: "测试企业有限公司", TaxID: "91110108MA00000016"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := StatementPDF(billing.Statement{EnterpriseName: "测试企业有限公司", On: civil.Of(2026, 3, 1),
		Entries: []billing.Entry{{Date: civil.Of(2026, 2, 10), Kind: "bill", Reference: b.Number, Debit: 1520833, Balance: 1520833}}, Balance: 1520833}, "北京四季青生命科技园")
	if err != nil {
		t.Fatal(err)
	}
	for name, doc := range map[string][]byte{"notice": notice, "statement": st} {
		if !bytes.HasPrefix(doc, []byte("%PDF-")) || !bytes.Contains(doc, []byte("/FontFile2")) || len(doc) < 5000 {
			t.Errorf("%s: not a PDF with an embedded TrueType font (%d bytes)", name, len(doc))
		}
	}
}
