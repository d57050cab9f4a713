package billing

import (
	"context"
	"slices"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
)

// Entry is one line of a statement of account: a bill issued (debit) or a payment (credit).
type Entry struct {
	Date      civil.Date    `json:"date"`
	Kind      string        `json:"kind"` // bill | payment
	Reference string        `json:"reference"`
	Debit     measure.Money `json:"debit"`
	Credit    measure.Money `json:"credit"`
	Balance   measure.Money `json:"balance"`
}

// Statement is an enterprise's statement of account (对账单): every bill issued and payment
// received, with the running balance owed (negative: the enterprise's credit).
type Statement struct {
	EnterpriseID   string          `json:"enterprise_id"`
	EnterpriseName string          `json:"enterprise_name"`
	ParkID         string          `json:"park_id"`
	On             civil.Date      `json:"on"`
	Entries        []Entry         `json:"entries"`
	Balance        measure.Money   `json:"balance"`
	Details        *InvoiceDetails `json:"invoice_details,omitempty"`
}

// StatementOf is an enterprise's statement of account in a park, to a day.
func (s *Service) StatementOf(ctx context.Context, sc identity.Scope, enterpriseID string) (Statement, error) {
	ent, err := s.st.GetEnterprise(ctx, sc, enterpriseID)
	if err != nil {
		return Statement{}, err
	}
	out := Statement{EnterpriseID: ent.ID, EnterpriseName: ent.Name, ParkID: ent.ParkID, On: s.clock.Today(), Entries: []Entry{}}
	bills, err := page.All(func(r page.Request) (page.Page[Bill], error) {
		return s.st.ListBills(ctx, sc, Filter{EnterpriseID: ent.ID}, r)
	}, 100_000)
	if err != nil {
		return out, err
	}
	for _, b := range bills {
		if b.Status == Draft {
			continue
		}
		out.Entries = append(out.Entries, Entry{Date: b.IssuedOn, Kind: "bill", Reference: b.Number, Debit: b.Gross})
		if b.Status == WrittenOff {
			out.Entries = append(out.Entries, Entry{Date: b.IssuedOn, Kind: "write_off", Reference: b.Number, Credit: b.Gross - b.Paid})
		}
	}
	payments, err := page.All(func(r page.Request) (page.Page[Payment], error) {
		return s.st.ListPayments(ctx, sc, Filter{EnterpriseID: ent.ID}, r)
	}, 100_000)
	if err != nil {
		return out, err
	}
	for _, p := range payments {
		if p.ReversedOn.IsZero() && p.Method != "credit_note" {
			out.Entries = append(out.Entries, Entry{Date: p.PaidOn, Kind: "payment", Reference: p.Method + " " + p.Reference, Credit: p.Amount})
		}
	}
	slices.SortStableFunc(out.Entries, func(a, b Entry) int {
		switch {
		case a.Date.Before(b.Date):
			return -1
		case b.Date.Before(a.Date):
			return 1
		}
		return 0
	})
	for i := range out.Entries {
		out.Balance += out.Entries[i].Debit - out.Entries[i].Credit
		out.Entries[i].Balance = out.Balance
	}
	out.Details, err = s.st.InvoiceDetailsOf(ctx, ent.ID)
	return out, err
}
