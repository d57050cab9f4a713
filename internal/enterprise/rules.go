package enterprise

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
)

func textField(f *apperr.Fields, field, v string, max int, required bool) {
	if required && strings.TrimSpace(v) == "" {
		f.Required(field)
		return
	}
	if utf8.RuneCountInString(v) > max {
		f.Add(field, "too_long", fmt.Sprintf("不能超过 %d 个字符", max), fmt.Sprintf("must be at most %d characters", max))
	}
}

func oneOf[T comparable](f *apperr.Fields, field string, v T, allowed []T) {
	if !slices.Contains(allowed, v) {
		f.Add(field, "unknown_value", fmt.Sprintf("取值无效，可选：%v", allowed), fmt.Sprintf("must be one of %v", allowed))
	}
}

// Validate checks and normalises an enterprise's own fields; founding cannot be after today.
func (e *Enterprise) Validate(today civil.Date) error {
	var f apperr.Fields
	e.CreditCode = strings.ToUpper(strings.TrimSpace(e.CreditCode))
	textField(&f, "name", e.Name, 200, true)
	textField(&f, "name_en", e.NameEn, 300, false)
	if e.CreditCode != "" {
		CheckCreditCode(&f, "credit_code", e.CreditCode)
	}
	textField(&f, "legal_representative", e.LegalRepresentative, 50, false)
	if !e.FoundedOn.IsZero() && e.FoundedOn.After(today) {
		f.Add("founded_on", "in_future", "成立日期不能晚于今天", "founded_on cannot be in the future")
	}
	if e.RegisteredCapital < 0 {
		f.Add("registered_capital", "negative", "注册资本不能为负数", "registered_capital cannot be negative")
	}
	oneOf(&f, "ownership_type", e.OwnershipType, OwnershipTypes)
	if e.Stage == "" {
		e.Stage = "incubating"
	}
	oneOf(&f, "stage", e.Stage, Stages)
	if e.Employees < 0 {
		f.Add("employees", "negative", "从业人员数不能为负数", "employees cannot be negative")
	}
	textField(&f, "website", e.Website, 200, false)
	textField(&f, "contact_name", e.ContactName, 50, false)
	textField(&f, "contact_phone", e.ContactPhone, 50, false)
	textField(&f, "description", e.Description, 8000, false)
	for i, t := range e.Tags {
		textField(&f, fmt.Sprintf("tags[%d]", i), t, 30, true)
		if strings.Contains(t, ",") {
			f.Add(fmt.Sprintf("tags[%d]", i), "comma", "标签不能包含逗号", "a tag cannot contain a comma")
		}
	}
	if e.Tags == nil {
		e.Tags = []string{}
	}
	if e.ChainNodeIDs == nil {
		e.ChainNodeIDs = []string{}
	}
	return f.Err()
}

// Validate checks a residency's own fields.
func (r *Residency) Validate() error {
	var f apperr.Fields
	textField(&f, "park_id", r.ParkID, 64, true)
	if r.MoveIn.IsZero() {
		f.Required("move_in")
	}
	if !r.MoveOut.IsZero() && !r.MoveIn.IsZero() && r.MoveOut.Before(r.MoveIn) {
		f.Add("move_out", "before_move_in", "迁出日期不能早于入驻日期", "move_out cannot be before move_in")
	}
	textField(&f, "note", r.Note, 2000, false)
	if r.UnitIDs == nil {
		r.UnitIDs = []string{}
	}
	return f.Err()
}

// Validate checks a qualification's own fields.
func (q *Qualification) Validate() error {
	var f apperr.Fields
	oneOf(&f, "kind", q.Kind, QualificationKinds)
	textField(&f, "certificate_no", q.CertificateNo, 100, false)
	if !q.ExpiresOn.IsZero() && !q.IssuedOn.IsZero() && !q.ExpiresOn.After(q.IssuedOn) {
		f.Add("expires_on", "before_issue", "有效期截止日须晚于发证日期", "expires_on must be after issued_on")
	}
	oneOf(&f, "board", q.Board, ListingBoards)
	if q.Kind != "listed" && (q.Board != "" || q.Ticker != "") {
		f.Add("board", "only_listed", "上市板块和代码只适用于上市公司", "board and ticker apply to listed companies only")
	}
	if q.Kind == "listed" && q.Board == "" {
		f.Add("board", "required", "上市公司须填写上市板块", "a listed company needs its board")
	}
	textField(&f, "ticker", q.Ticker, 20, false)
	textField(&f, "note", q.Note, 2000, false)
	return f.Err()
}
