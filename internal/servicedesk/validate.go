package servicedesk

import (
	"slices"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/check"
)

// Providers' kinds and offerings' price units.
var (
	ProviderKinds = []string{"team", "third_party"}
	PriceUnits    = []string{"item", "hour", "month"}
)

// maxSLAHours bounds an SLA clock: a quarter of a year of working hours.
const maxSLAHours = 1000

func oneOf(f *apperr.Fields, field, value string, allowed []string) {
	if value == "" {
		f.Required(field)
	} else if !slices.Contains(allowed, value) {
		f.Add(field, "unknown_value", "取值不在允许范围内", "value is not one of those allowed")
	}
}

// Validate checks a new provider.
func (n NewProvider) Validate() error {
	var f apperr.Fields
	check.Field(&f, "name", n.Name, true, check.NameLen)
	oneOf(&f, "kind", n.Kind, ProviderKinds)
	check.Field(&f, "contact", n.Contact, false, check.NameLen)
	check.Field(&f, "description", n.Description, false, check.NoteLen)
	if len(n.Members) > 100 {
		f.Add("members", "too_many", "成员不能超过 100 人", "at most 100 members")
	}
	for _, m := range n.Members {
		check.Field(&f, "members", m, true, check.NameLen)
	}
	if n.Kind == "third_party" && len(n.Members) > 0 {
		f.Add("members", "not_team", "只有园区团队有成员账号", "only a park's own team has member accounts")
	}
	return f.Err()
}

// Validate checks a new offering.
func (n NewOffering) Validate() error {
	var f apperr.Fields
	if n.ProviderID == "" {
		f.Required("provider_id")
	}
	check.Field(&f, "platform", n.Platform, true, 40)
	check.Field(&f, "name", n.Name, true, check.NameLen)
	check.Field(&f, "description", n.Description, false, check.NoteLen)
	check.Money(&f, "price", n.Price)
	oneOf(&f, "price_unit", n.PriceUnit, PriceUnits)
	if n.LeadDays < 0 || n.LeadDays > 365 {
		f.Add("lead_days", "out_of_range", "办理周期应在 0–365 天之间", "lead time must be 0–365 days")
	}
	return f.Err()
}

// Validate checks a new category.
func (n NewCategory) Validate() error {
	var f apperr.Fields
	check.Field(&f, "code", n.Code, true, 40)
	check.Field(&f, "name_zh", n.NameZh, true, check.NameLen)
	check.Field(&f, "name_en", n.NameEn, true, check.NameLen)
	check.Field(&f, "platform", n.Platform, true, 40)
	if n.ResponseHours < 1 || n.ResponseHours > maxSLAHours {
		f.Add("response_hours", "out_of_range", "响应时限应在 1–1000 工作小时之间", "response time must be 1–1000 working hours")
	}
	if n.ResolutionHours < max(1, n.ResponseHours) || n.ResolutionHours > maxSLAHours {
		f.Add("resolution_hours", "out_of_range", "解决时限应不短于响应时限且不超过 1000 工作小时", "resolution time must be at least the response time and at most 1000 working hours")
	}
	return f.Err()
}

// Validate checks a new ticket's own fields.
func (n NewTicket) Validate() error {
	var f apperr.Fields
	if n.CategoryID == "" {
		f.Required("category_id")
	}
	check.Field(&f, "title", n.Title, true, check.NameLen)
	check.Field(&f, "body", n.Body, true, check.NoteLen)
	return f.Err()
}

// Validate checks a comment.
func (n NewComment) Validate() error {
	var f apperr.Fields
	check.Field(&f, "body", n.Body, true, check.NoteLen)
	return f.Err()
}

// Validate checks a rating: 1 to 5, and a comment of a note's length.
func (r Rating) Validate() error {
	var f apperr.Fields
	if r.Rating < 1 || r.Rating > 5 {
		f.Add("rating", "out_of_range", "评分应为 1 到 5 的整数", "rating must be a whole number from 1 to 5")
	}
	check.Field(&f, "comment", r.Comment, false, check.NoteLen)
	return f.Err()
}

// MaxAttachment is the largest file a ticket takes: 5 MB.
const MaxAttachment = 5 << 20
