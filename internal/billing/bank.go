package billing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/check"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/sheet"
)

// BankStore is what a bank statement's matching needs of the data layer.
type BankStore interface {
	// Payers are a park's enterprises with the bank account their invoicing details name.
	Payers(ctx context.Context, parkID string) ([]Payer, error)
	// OpenBills are an enterprise's issued bills of a park with money open, oldest first.
	OpenBills(ctx context.Context, parkID, enterpriseID string) ([]Bill, error)
	// BankRowSeen reports whether a statement row was imported before.
	BankRowSeen(ctx context.Context, key string) (bool, error)
}

// bankColumns are the columns Chinese banks' statements are exported with.
var bankColumns = []sheet.Column{
	{Key: "date", Header: "交易日期", English: "Date", Synonyms: []string{"日期", "记账日期", "交易时间", "入账日期"}, Required: true},
	{Key: "amount", Header: "贷方金额", English: "Credit", Synonyms: []string{"收入金额", "收入", "贷方发生额", "金额", "交易金额"}, Required: true},
	{Key: "payer", Header: "对方户名", English: "Payer", Synonyms: []string{"付款人名称", "对方名称", "付款方", "对方账户名称", "对方单位"}, Required: true},
	{Key: "account", Header: "对方账号", English: "Account", Synonyms: []string{"付款人账号", "付款账号", "对方账户"}},
	{Key: "memo", Header: "摘要", English: "Memo", Synonyms: []string{"附言", "用途", "备注", "交易附言"}},
}

// Payer is an enterprise a statement's rows may name: its name and its bank account.
type Payer struct {
	ID, Name, Account string
}

// accountKey is an account number as banks print it in any spacing: its letters and digits.
func accountKey(s string) string {
	var b strings.Builder
	for _, r := range sheet.Clean(s) {
		if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// matchPayer finds the one enterprise a row came from: by its account, else its name (both
// compared as written on any bank's export). An account two enterprises give, or an account
// and a name naming different enterprises, is ambiguous, never guessed.
func matchPayer(payers []Payer, name, account string) (p Payer, how, problem string) {
	var byAccount, byName []Payer
	acc, nm := accountKey(account), sheet.Clean(name)
	for _, c := range payers {
		if acc != "" && accountKey(c.Account) == acc {
			byAccount = append(byAccount, c)
		}
		if nm != "" && sheet.Clean(c.Name) == nm {
			byName = append(byName, c)
		}
	}
	switch {
	case len(byAccount) > 1, len(byName) > 1 && len(byAccount) == 0:
		return p, "", "ambiguous"
	case len(byAccount) == 1 && len(byName) == 1 && byName[0].ID != byAccount[0].ID:
		return p, "", "ambiguous"
	case len(byAccount) == 1:
		return byAccount[0], "account", ""
	case len(byName) == 1:
		return byName[0], "name", ""
	}
	return p, "", "unknown_payer"
}

// BankRow is one credit of a statement, matched to an enterprise and maybe a bill.
type BankRow struct {
	Row            int           `json:"row"`
	PaidOn         civil.Date    `json:"paid_on"`
	Amount         measure.Money `json:"amount"`
	Payer          string        `json:"payer"`
	Account        string        `json:"account"`
	Memo           string        `json:"memo"`
	EnterpriseID   string        `json:"enterprise_id,omitempty"`
	EnterpriseName string        `json:"enterprise_name,omitempty"`
	MatchedBy      string        `json:"matched_by,omitempty"` // account | name
	BillID         string        `json:"bill_id,omitempty"`
	BillNumber     string        `json:"bill_number,omitempty"`
	// Credit is what the row leaves as the enterprise's credit once set against its bills.
	Credit measure.Money `json:"credit"`
	// Duplicate marks a row imported before: it is skipped.
	Duplicate bool   `json:"duplicate"`
	PaymentID string `json:"payment_id,omitempty"`
	key       string
}

// BankImport is a statement read and matched: its rows, the problems that stop it, and whether
// it was written.
type BankImport struct {
	Rows      []BankRow       `json:"rows"`
	Problems  []sheet.Problem `json:"problems"`
	Total     measure.Money   `json:"total"`
	Committed bool            `json:"committed"`
}

// ImportStatement reads a bank statement (CSV or xlsx, UTF-8 or GBK) of a park's account: each
// credit row is matched to an enterprise by its account, else its name, and to a bill by the
// bill number in its memo, else by its amount. With dryRun it only shows the matches; otherwise,
// when every row matches and every cell reads, it records every payment (a row imported before
// is skipped), all or nothing.
func (s *Service) ImportStatement(ctx context.Context, sc identity.Scope, parkID string, data []byte, dryRun bool) (BankImport, error) {
	if err := s.st.CheckBillingPark(ctx, sc, parkID); err != nil {
		return BankImport{}, err
	}
	if !mayBill(sc, parkID) {
		return BankImport{}, apperr.ErrForbidden()
	}
	tables, err := sheet.Read(data, sheet.DefaultLimits)
	if err != nil {
		return BankImport{}, err
	}
	out := BankImport{Rows: []BankRow{}, Problems: []sheet.Problem{}}
	if len(tables) == 0 {
		return out, apperr.FieldProblem("file", "empty", "文件中没有数据", "the file holds no rows")
	}
	t := tables[0]
	h, missing := sheet.FindHeader(t.Rows, bankColumns)
	if len(missing) > 0 {
		var names []string
		for _, c := range missing {
			names = append(names, c.Header)
		}
		return out, apperr.FieldProblem("file", "missing_columns", "缺少列："+strings.Join(names, "、"), "missing columns: "+strings.Join(names, ", "))
	}
	problem := func(row int, key, code, zh, en string) {
		col := h.Column[key]
		out.Problems = append(out.Problems, sheet.Problem{Sheet: t.Sheet, Row: row + 1, Column: sheet.ColumnName(col), Header: t.Rows[h.Row][col],
			Code: code, MessageZh: zh, MessageEn: en})
	}
	cell := func(row []string, key string) string {
		if i, ok := h.Column[key]; ok && i < len(row) {
			return sheet.Clean(row[i])
		}
		return ""
	}
	payers, err := s.st.Payers(ctx, parkID)
	if err != nil {
		return out, err
	}
	seen := map[string]int{}
	for i := h.Row + 1; i < len(t.Rows); i++ {
		row := t.Rows[i]
		raw := cell(row, "amount")
		if raw == "" {
			continue // a debit: money out of the account
		}
		r := BankRow{Row: i + 1, Payer: cell(row, "payer"), Account: cell(row, "account"), Memo: cell(row, "memo")}
		amount, _, err := sheet.Money(raw, h.Wan["amount"])
		var ce *sheet.CellError
		switch {
		case errors.As(err, &ce):
			problem(i, "amount", ce.Code, ce.MessageZh, ce.MessageEn)
		case err != nil:
			return out, err
		case amount <= 0:
			continue
		case amount > check.MaxMoney || out.Total+amount > check.MaxMoney:
			problem(i, "amount", "out_of_range", "金额超出上限", "the amount is too large")
			amount = 0
		}
		r.Amount = amount
		day, _, err := sheet.Date(cell(row, "date"))
		switch {
		case errors.As(err, &ce):
			problem(i, "date", ce.Code, ce.MessageZh, ce.MessageEn)
		case err != nil:
			return out, err
		case day.IsZero():
			problem(i, "date", "required", "缺少交易日期", "the date is missing")
		case day.Year() < 2000 || day.After(s.clock.Today()):
			problem(i, "date", "out_of_range", "交易日期应在 2000 年之后且不晚于今天", "the date must lie after 2000 and not after today")
		}
		r.PaidOn = day
		if r.Payer == "" && r.Account == "" {
			problem(i, "payer", "required", "缺少对方户名", "the payer is missing")
			out.Rows = append(out.Rows, r)
			continue
		}
		payer, how, trouble := matchPayer(payers, r.Payer, r.Account)
		r.EnterpriseID, r.EnterpriseName, r.MatchedBy = payer.ID, payer.Name, how
		switch trouble {
		case "unknown_payer":
			problem(i, "payer", trouble, "本园区没有该付款企业（按开票信息中的账号或企业名称匹配）",
				"no enterprise of the park matches the payer (by the account in its invoicing details, or by name)")
		case "ambiguous":
			problem(i, "payer", trouble, "付款方无法唯一确定：账号或户名对应多家企业，请核对开票信息",
				"the payer is ambiguous: the account or name belongs to more than one enterprise; check their invoicing details")
		}
		content := fmt.Sprintf("%s|%s|%s|%s|%s|%s", parkID, r.PaidOn, r.Amount, r.Payer, r.Account, r.Memo)
		seen[content]++
		sum := sha256.Sum256(fmt.Appendf(nil, "%s|%d", content, seen[content]))
		r.key = hex.EncodeToString(sum[:])
		if r.Duplicate, err = s.st.BankRowSeen(ctx, r.key); err != nil {
			return out, err
		}
		if r.EnterpriseID != "" {
			if err := s.matchBill(ctx, parkID, &r); err != nil {
				return out, err
			}
		}
		if !r.Duplicate {
			out.Total += r.Amount
		}
		out.Rows = append(out.Rows, r)
	}
	if dryRun || len(out.Problems) > 0 {
		return out, nil
	}
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.LockBillingPark(ctx, parkID); err != nil {
			return err
		}
		for i := range out.Rows {
			r := &out.Rows[i]
			if r.Duplicate {
				continue
			}
			p := Payment{ID: s.st.NewID(), ParkID: parkID, EnterpriseID: r.EnterpriseID, EnterpriseName: r.EnterpriseName, PaidOn: r.PaidOn,
				Amount: r.Amount, Method: "bank", Reference: strings.TrimSpace(r.Memo + " " + r.Account), Unallocated: r.Amount, BankRow: r.key, CreatedBy: sc.Username}
			var byHand []AllocationFor
			if r.BillID != "" {
				if byHand, err = s.billAllocations(ctx, parkID, r.EnterpriseID, r.BillID, r.Amount); err != nil {
					return err
				}
			}
			paid, err := s.pay(ctx, p, byHand, true)
			if err != nil {
				return err
			}
			if len(byHand) > 0 && paid.Unallocated > 0 {
				if _, err := s.applyCredits(ctx, parkID, r.EnterpriseID, r.PaidOn); err != nil {
					return err
				}
			}
			r.PaymentID = paid.ID
			if err := s.st.Record(ctx, sc, "import", "payment", paid.ID, nil, paid); err != nil {
				return err
			}
		}
		return nil
	})
	out.Committed = err == nil
	return out, err
}

// matchBill finds the bill a row pays: the open bill whose number its memo names, else the
// oldest open bill owing exactly its amount; and what the row leaves as credit.
func (s *Service) matchBill(ctx context.Context, parkID string, r *BankRow) error {
	bills, err := s.st.OpenBills(ctx, parkID, r.EnterpriseID)
	if err != nil {
		return err
	}
	var open measure.Money
	for _, b := range bills {
		open += b.Outstanding
		if r.BillID == "" && b.Number != "" && strings.Contains(r.Memo, b.Number) {
			r.BillID, r.BillNumber = b.ID, b.Number
		}
	}
	for _, b := range bills {
		if r.BillID == "" && b.Outstanding == r.Amount {
			r.BillID, r.BillNumber = b.ID, b.Number
		}
	}
	r.Credit = max(0, r.Amount-open)
	return nil
}

// billAllocations sets up to amount against one bill's open lines.
func (s *Service) billAllocations(ctx context.Context, parkID, enterpriseID, billID string, amount measure.Money) ([]AllocationFor, error) {
	lines, err := s.st.OpenLines(ctx, parkID, enterpriseID)
	if err != nil {
		return nil, err
	}
	var out []AllocationFor
	for _, l := range lines {
		if l.BillID != billID || amount == 0 {
			continue
		}
		a := min(l.Gross-l.Paid, amount)
		out = append(out, AllocationFor{LineID: l.ID, Amount: a})
		amount -= a
	}
	return out, nil
}
