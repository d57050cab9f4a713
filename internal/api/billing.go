package api

import (
	"net/http"

	"github.com/parkos/parkos/internal/billing"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/sheet"
)

// LateFeeRule is a contract's late-fee rule; without one (absent or null) the contract has none.
type LateFeeRule struct {
	Rule *billing.LateFee `json:"rule,omitempty"`
}

// InvoiceDetailsInput are an enterprise's invoicing details as sent.
type InvoiceDetailsInput struct {
	Name         string `json:"name"`
	TaxID        string `json:"tax_id"`
	AddressPhone string `json:"address_phone"`
	BankAccount  string `json:"bank_account"`
}

func decodeInto[T any](c *call) (T, error) {
	var in T
	err := c.decode(&in)
	return in, err
}

func (s *Server) billingRoutes() []route {
	sv := s.svc
	billFilter := func(c *call) billing.Filter {
		return billing.Filter{ParkID: c.q.Str("park_id"), EnterpriseID: c.q.Str("enterprise_id"), Status: billing.Status(c.q.Str("status")),
			RunID: c.q.Str("run_id"), DueFrom: c.q.Date("due_from"), DueTo: c.q.Date("due_to")}
	}
	return []route{
		{Method: "POST", Pattern: "/api/v1/billing-runs", Tag: "receivables",
			Summary: "出账：按账单日生成园区账单（租金、物业费、押金、设施与服务费、滞纳金及合同变更调整）；重复或并发出账不会重复计费 / Run billing for a park and day: schedules, charges, late fees and adjustments; a run repeated or concurrent bills nothing twice",
			Body:    billing.Run{}, Response: billing.RunResult{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				in, err := decodeInto[billing.Run](c)
				if err != nil {
					return nil, err
				}
				return sv.Billing.RunBilling(c.ctx, c.scope, in)
			}},
		{Method: "GET", Pattern: "/api/v1/bills", Tag: "receivables", Summary: "账单 / Bills",
			Query: []param{{"park_id", "string", "园区 / park"}, {"enterprise_id", "string", "企业 / enterprise"},
				{"status", "string", "draft | issued | partly_paid | paid | written_off"}, {"run_id", "string", "出账批次 / billing run"},
				{"due_from", "string", "应付日起 / due on or after"}, {"due_to", "string", "应付日止 / due on or before"},
				describeSorts("due_on", "number"), pageParams[0], pageParams[1]},
			Response: page.Page[billing.Bill]{}, handle: func(c *call) (any, error) {
				f, req := billFilter(c), c.q.Page()
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Billing.Bills(c.ctx, c.scope, f, req)
			}},
		{Method: "GET", Pattern: "/api/v1/bills/{id}", Tag: "receivables", Summary: "账单及明细 / A bill with its lines",
			Response: billing.Bill{}, handle: func(c *call) (any, error) { return sv.Billing.Bill(c.ctx, c.scope, c.id()) }},
		{Method: "POST", Pattern: "/api/v1/bills/{id}/issue", Tag: "receivables",
			Summary:  "开出草稿账单（此后不再变更；冲减额转为预存款并抵扣） / Issue a draft bill (it never changes again; its credits become credit)",
			Response: billing.Bill{}, handle: func(c *call) (any, error) { return sv.Billing.Issue(c.ctx, c.scope, c.id()) }},
		{Method: "POST", Pattern: "/api/v1/bills/{id}/discard", Tag: "receivables",
			Summary: "作废草稿账单（删除；其费用由下次出账重新计入） / Discard a draft bill (its charges go to the next run)",
			Status:  http.StatusNoContent, handle: func(c *call) (any, error) { return nil, sv.Billing.DiscardDraft(c.ctx, c.scope, c.id()) }},
		{Method: "POST", Pattern: "/api/v1/bills/{id}/write-off", Tag: "receivables", Summary: "核销账单未付部分 / Write off what is open on a bill",
			Body: billing.WriteOff{}, Response: billing.Bill{}, handle: func(c *call) (any, error) {
				in, err := decodeInto[billing.WriteOff](c)
				if err != nil {
					return nil, err
				}
				return sv.Billing.WriteOff(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "POST", Pattern: "/api/v1/bills/{id}/invoice-request", Tag: "receivables", Summary: "申请开票 / Ask for a bill's invoice",
			Response: billing.InvoiceRequest{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				return sv.Billing.RequestInvoice(c.ctx, c.scope, c.id())
			}},
		{Method: "PUT", Pattern: "/api/v1/bills/{id}/invoice", Tag: "receivables", Summary: "登记已开发票（号码、日期） / Record the invoice issued",
			Body: billing.InvoiceIssued{}, Response: billing.InvoiceRequest{}, handle: func(c *call) (any, error) {
				in, err := decodeInto[billing.InvoiceIssued](c)
				if err != nil {
					return nil, err
				}
				return sv.Billing.RecordInvoice(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "GET", Pattern: "/api/v1/payments", Tag: "receivables", Summary: "收款 / Payments",
			Query:    []param{{"park_id", "string", "园区 / park"}, {"enterprise_id", "string", "企业 / enterprise"}, describeSorts("paid_on"), pageParams[0], pageParams[1]},
			Response: page.Page[billing.Payment]{}, handle: func(c *call) (any, error) {
				f, req := billFilter(c), c.q.Page()
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Billing.Payments(c.ctx, c.scope, f, req)
			}},
		{Method: "POST", Pattern: "/api/v1/payments", Tag: "receivables",
			Summary: "登记收款：自动冲抵最早的未付明细，或按 allocations 指定；超出未付须以 as_credit 确认为预存款 / Record a payment: set against the oldest open lines or as allocated; beyond what is open only as confirmed credit",
			Body:    billing.NewPayment{}, Response: billing.Payment{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				in, err := decodeInto[billing.NewPayment](c)
				if err != nil {
					return nil, err
				}
				return sv.Billing.RecordPayment(c.ctx, c.scope, in)
			}},
		{Method: "GET", Pattern: "/api/v1/payments/{id}", Tag: "receivables", Summary: "收款及其冲抵 / A payment with its allocations",
			Response: billing.Payment{}, handle: func(c *call) (any, error) { return sv.Billing.Payment(c.ctx, c.scope, c.id()) }},
		{Method: "POST", Pattern: "/api/v1/payments/{id}/reverse", Tag: "receivables", Summary: "冲回错误收款（须说明原因） / Reverse a wrong payment, with a reason",
			Body: billing.Reversal{}, Response: billing.Payment{}, handle: func(c *call) (any, error) {
				in, err := decodeInto[billing.Reversal](c)
				if err != nil {
					return nil, err
				}
				return sv.Billing.ReversePayment(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "POST", Pattern: "/api/v1/parks/{id}/bank-statements", Tag: "receivables",
			Summary: "导入银行流水（CSV 或 xlsx，UTF-8 或 GBK）：按账号或户名匹配企业、按单号或金额匹配账单；全部无误才入账，dry_run=true 只预览；同一流水不重复入账 / Import a bank statement: matched by account or name and by bill number or amount; all rows or none; dry_run previews; a row is imported once",
			Query:   []param{{"dry_run", "boolean", "只匹配与预览，不入账 / match and preview only"}},
			Upload:  true, Response: billing.BankImport{}, handle: func(c *call) (any, error) {
				if err := sv.Billing.CheckPark(c.ctx, c.scope, c.id()); err != nil {
					return nil, err
				}
				return c.importUpload(func(data []byte, dryRun bool) (any, bool, []sheet.Problem, error) {
					res, err := sv.Billing.ImportStatement(c.ctx, c.scope, c.id(), data, dryRun)
					return res, res.Committed, res.Problems, err
				})
			}},
		{Method: "GET", Pattern: "/api/v1/contracts/{id}/deposit", Tag: "receivables", Summary: "合同押金：应收、已收与结算 / A contract's deposit: billed, held, settled",
			Response: billing.Deposit{}, handle: func(c *call) (any, error) { return sv.Billing.Deposit(c.ctx, c.scope, c.id()) }},
		{Method: "POST", Pattern: "/api/v1/contracts/{id}/deposit/settlement", Tag: "receivables",
			Summary: "退租结算押金：扣款（原因、金额），余额退还或抵扣未付账单 / Settle a deposit at move-out: deductions, then refund or set against open bills",
			Body:    billing.Settlement{}, Response: billing.Settlement{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				in, err := decodeInto[billing.Settlement](c)
				if err != nil {
					return nil, err
				}
				return sv.Billing.SettleDeposit(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "GET", Pattern: "/api/v1/contracts/{id}/late-fee", Tag: "receivables", Summary: "合同滞纳金规则 / A contract's late-fee rule",
			Response: LateFeeRule{}, handle: func(c *call) (any, error) {
				r, err := sv.Billing.LateFeeOf(c.ctx, c.scope, c.id())
				return LateFeeRule{Rule: r}, err
			}},
		{Method: "PUT", Pattern: "/api/v1/contracts/{id}/late-fee", Tag: "receivables",
			Summary: "设置合同滞纳金规则（日费率、宽限天数、上限；rule 为 null 即取消） / Set a contract's late-fee rule (null removes it)",
			Body:    LateFeeRule{}, Response: LateFeeRule{}, handle: func(c *call) (any, error) {
				in, err := decodeInto[LateFeeRule](c)
				if err != nil {
					return nil, err
				}
				r, err := sv.Billing.SetLateFee(c.ctx, c.scope, c.id(), in.Rule)
				return LateFeeRule{Rule: r}, err
			}},
		{Method: "GET", Pattern: "/api/v1/enterprises/{id}/invoice-details", Tag: "receivables", Summary: "企业开票信息 / An enterprise's invoicing details",
			Response: billing.InvoiceDetails{}, handle: func(c *call) (any, error) {
				d, err := sv.Billing.InvoiceDetailsOf(c.ctx, c.scope, c.id())
				if err != nil || d == nil {
					return billing.InvoiceDetails{EnterpriseID: c.id()}, err
				}
				return *d, nil
			}},
		{Method: "PUT", Pattern: "/api/v1/enterprises/{id}/invoice-details", Tag: "receivables",
			Summary: "保存开票信息（纳税人识别号按统一社会信用代码校验） / Keep invoicing details (the taxpayer number checked as a credit code)",
			Body:    InvoiceDetailsInput{}, Response: billing.InvoiceDetails{}, handle: func(c *call) (any, error) {
				in, err := decodeInto[InvoiceDetailsInput](c)
				if err != nil {
					return nil, err
				}
				return sv.Billing.SetInvoiceDetails(c.ctx, c.scope, c.id(), billing.InvoiceDetails{Name: in.Name, TaxID: in.TaxID,
					AddressPhone: in.AddressPhone, BankAccount: in.BankAccount})
			}},
		{Method: "GET", Pattern: "/api/v1/enterprises/{id}/deposits", Tag: "receivables", Summary: "企业各合同押金 / An enterprise's deposits",
			Response: []billing.Deposit{}, handle: func(c *call) (any, error) { return sv.Billing.EnterpriseDeposits(c.ctx, c.scope, c.id()) }},
		{Method: "GET", Pattern: "/api/v1/receivables/aging", Tag: "receivables",
			Summary: "应收账龄（未到期、0–30、31–60、61–90、90 天以上），任一日，按企业或园区 / Receivables aging on any day, by enterprise or park",
			Query: []param{{"on", "string", "日期，默认今天 / day, today by default"}, {"by", "string", "enterprise（默认） | park"},
				{"park_id", "string", "园区 / park"}},
			Response: billing.Aging{}, handle: func(c *call) (any, error) {
				q := billing.AgingQuery{On: c.q.Date("on"), By: c.q.Str("by"), ParkID: c.q.Str("park_id")}
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Billing.AgingOn(c.ctx, c.scope, q)
			}},
		{Method: "GET", Pattern: "/api/v1/receivables/collection", Tag: "receivables",
			Summary:  "逐月收缴率：各月到期账单于次月末前收回的比例 / Collection rate by month: of each month's bills, the share paid by the end of the next",
			Query:    []param{{"park_id", "string", "园区 / park"}, {"on", "string", "截至月份任一天 / a day of the last month"}},
			Response: []billing.CollectionMonth{}, handle: func(c *call) (any, error) {
				park, on := c.q.Str("park_id"), c.q.Date("on")
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Billing.Collection(c.ctx, c.scope, park, on)
			}},
		{Method: "GET", Pattern: "/api/v1/parks/{id}/billing-settings", Tag: "receivables",
			Summary:  "园区收费设置：催缴提醒日（相对应付日的天数）、开始在 ParkOS 出账之日 / A park's billing settings: reminder days and the day its billing begins",
			Response: billing.Settings{}, handle: func(c *call) (any, error) { return sv.Billing.SettingsOf(c.ctx, c.scope, c.id()) }},
		{Method: "PUT", Pattern: "/api/v1/parks/{id}/billing-settings", Tag: "receivables",
			Summary: "设置园区收费（此前到期的费用不在 ParkOS 出账） / Set a park's billing settings (charges due before billing_from are never billed here)",
			Body:    billing.Settings{}, Response: billing.Settings{}, handle: func(c *call) (any, error) {
				in, err := decodeInto[billing.Settings](c)
				if err != nil {
					return nil, err
				}
				return sv.Billing.SetSettings(c.ctx, c.scope, c.id(), in)
			}},
	}
}
