package booking

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/check"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// Bounds of a resource's rules.
const (
	maxWeeks       = 26
	maxDayMinutes  = 24 * 60
	maxLeadHours   = 24 * 90
	maxQuotaHours  = 24 * 31
	maxHourlyPrice = measure.Money(1_000_000 * 100) // 1,000,000 元 an hour
	// maxAdvanceDays: a booking starts within a year from now.
	maxAdvanceDays = 366
)

var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$`)

// ClockMinutes reads "HH:MM" as minutes after midnight (24:00 is the end of the day).
func ClockMinutes(s string) (int, bool) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) != 2 || len(m) != 2 {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || mm < 0 || mm > 59 || hh < 0 || hh > 24 || hh == 24 && mm != 0 {
		return 0, false
	}
	return hh*60 + mm, true
}

func clockText(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// Validate checks a resource's rules; errors name the field.
func (r *ResourceRules) Validate(f *apperr.Fields) {
	slotOK := r.SlotMinutes >= 5 && r.SlotMinutes <= maxDayMinutes && maxDayMinutes%r.SlotMinutes == 0
	if !slotOK {
		f.Add("slot_minutes", "out_of_range", "时段长度应为 5–1440 分钟，且能整除 1440", "slot_minutes must be 5–1440 and divide 1440")
	}
	switch {
	case r.MinMinutes <= 0:
		f.Required("min_minutes")
	case slotOK && (r.MinMinutes < r.SlotMinutes || r.MinMinutes%r.SlotMinutes != 0):
		f.Add("min_minutes", "off_grid", "最短时长应为时段长度的整数倍", "min_minutes must be a multiple of slot_minutes")
	}
	switch {
	case r.MaxMinutes <= 0:
		f.Required("max_minutes")
	case r.MaxMinutes < r.MinMinutes || r.MaxMinutes > maxDayMinutes || slotOK && r.MaxMinutes%r.SlotMinutes != 0:
		f.Add("max_minutes", "off_grid", "最长时长应不小于最短时长、不超过 1440 分钟，且为时段长度的整数倍", "max_minutes must be at least min_minutes, at most 1440 and a multiple of slot_minutes")
	}
	if r.LeadHours < 0 || r.LeadHours > maxLeadHours {
		f.Add("lead_hours", "out_of_range", "提前预约时间应为 0–2160 小时", "lead_hours must be 0–2160")
	}
	if r.CancelHours < 0 || r.CancelHours > maxLeadHours {
		f.Add("cancel_hours", "out_of_range", "取消期限应为 0–2160 小时", "cancel_hours must be 0–2160")
	}
	if len(r.Hours) == 0 {
		f.Add("hours", "required", "请填写开放时间", "opening hours are required")
	}
	for i, w := range r.Hours {
		field := fmt.Sprintf("hours[%d]", i)
		from, ok1 := ClockMinutes(w.From)
		to, ok2 := ClockMinutes(w.To)
		switch {
		case w.Weekday < 1 || w.Weekday > 7:
			f.Add(field+".weekday", "out_of_range", "星期应为 1（周一）到 7（周日）", "weekday must be 1 (Monday) to 7 (Sunday)")
		case !ok1 || !ok2 || to <= from:
			f.Add(field, "bad_hours", "开放时间应为 HH:MM–HH:MM，且结束晚于开始", "hours are HH:MM–HH:MM with the end after the start")
		case slotOK && (from%r.SlotMinutes != 0 || (to-from)%r.SlotMinutes != 0):
			f.Add(field, "off_grid", "开放时间应落在时段网格上", "opening hours must lie on the slot grid")
		}
		for j := range i {
			if o := r.Hours[j]; o.Weekday == w.Weekday {
				of, _ := ClockMinutes(o.From)
				ot, _ := ClockMinutes(o.To)
				if from < ot && of < to {
					f.Add(field, "overlap", "同一天的开放时间不能重叠", "opening hours of one day cannot overlap")
				}
			}
		}
	}
	for field, p := range map[string]measure.Money{"prices.member": r.Prices.Member, "prices.non_member": r.Prices.NonMember, "prices.other_park": r.Prices.OtherPark} {
		check.Money(f, field, p)
		if p > maxHourlyPrice {
			f.Add(field, "out_of_range", "每小时价格不能超过 1,000,000 元", "an hourly price cannot exceed 1,000,000 yuan")
		}
	}
	if r.Quota.Hours < 0 || r.Quota.Hours > maxQuotaHours {
		f.Add("quota.hours", "out_of_range", "配额应为 0–744 小时", "quota hours must be 0–744")
	}
	if r.Quota.Hours > 0 && r.Quota.Per != "week" && r.Quota.Per != "month" {
		f.Add("quota.per", "unknown_value", "配额周期应为 week 或 month", "quota per must be week or month")
	}
	if r.Quota.Hours == 0 {
		r.Quota.Per = ""
	}
	check.String(f, "certificate", r.Certificate)
	check.Text(f, "certificate", r.Certificate, 100)
}

// Validate checks a new resource.
func (n *NewResource) Validate() error {
	var f apperr.Fields
	n.Code, n.Name = strings.TrimSpace(n.Code), strings.TrimSpace(n.Name)
	if n.ParkID == "" {
		f.Required("park_id")
	}
	if !codePattern.MatchString(n.Code) {
		f.Add("code", "invalid", "编码应为 1–40 位字母、数字、点、下划线或连字符", "code is 1–40 letters, digits, dots, underscores or hyphens")
	}
	check.String(&f, "name", n.Name)
	check.Text(&f, "name", n.Name, check.NameLen)
	if n.Name == "" {
		f.Required("name")
	}
	check.String(&f, "description", n.Description)
	if !slices.Contains(Kinds, n.Kind) {
		f.Add("kind", "unknown_value", fmt.Sprintf("类型无效，可选：%v", Kinds), fmt.Sprintf("kind must be one of %v", Kinds))
	}
	n.ResourceRules.Validate(&f)
	return f.Err()
}

// open is the opening window of the resource on a day that holds the minutes [from, to), or
// false.
func (r ResourceRules) open(day civil.Date, from, to int) (Window, bool) {
	wd := day.ISOWeekday()
	for _, w := range r.Hours {
		wf, _ := ClockMinutes(w.From)
		wt, _ := ClockMinutes(w.To)
		if w.Weekday == wd && wf <= from && to <= wt {
			return w, true
		}
	}
	return Window{}, false
}

// hoursOn describes the opening hours of a day, for messages.
func (r ResourceRules) hoursOn(day civil.Date) string {
	wd := day.ISOWeekday()
	var parts []string
	for _, w := range r.Hours {
		if w.Weekday == wd {
			parts = append(parts, w.From+"–"+w.To)
		}
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, ", ")
}

// ruleError is a booking refused by a rule, naming the field and the rule, saying what would be
// allowed.
func ruleError(field, rule, zh, en string) error {
	var f apperr.Fields
	f.Add(field, rule, zh, en)
	return f.Err()
}

// minuteOf is the minutes after midnight of t in Shanghai.
func minuteOf(t time.Time) int {
	t = t.In(civil.Shanghai)
	return t.Hour()*60 + t.Minute()
}

// CheckTime checks a booking's time against the resource's calendar rules: one day, opening
// hours (not a holiday), the slot grid, the durations and the lead time after now.
func (r ResourceRules) CheckTime(start, end, now time.Time, holidays []civil.Date) error {
	if start.IsZero() || end.IsZero() {
		var f apperr.Fields
		if start.IsZero() {
			f.Required("start")
		}
		if end.IsZero() {
			f.Required("end")
		}
		return f.Err()
	}
	day := civil.FromTime(start)
	from, to := minuteOf(start), minuteOf(end)
	if civil.FromTime(end) != day {
		if civil.FromTime(end) == day.AddDays(1) && to == 0 {
			to = maxDayMinutes
		} else {
			return ruleError("end", "one_day", "预约须在同一天内开始和结束", "a booking starts and ends on the same day")
		}
	}
	if start.Second() != 0 || end.Second() != 0 || start.Nanosecond() != 0 || end.Nanosecond() != 0 {
		return ruleError("start", "off_grid", "预约时间须为整分钟", "booking times are whole minutes")
	}
	minutes := to - from
	switch {
	case minutes <= 0:
		return ruleError("end", "before_start", "结束时间须晚于开始时间", "the end must be after the start")
	case slices.Contains(holidays, day):
		return ruleError("start", "holiday", fmt.Sprintf("%s 为园区休息日，不开放", day), fmt.Sprintf("%s is a park holiday: closed", day))
	}
	w, ok := r.open(day, from, to)
	if !ok {
		return ruleError("start", "outside_hours", fmt.Sprintf("超出开放时间，当天开放：%s", r.hoursOn(day)),
			fmt.Sprintf("outside the opening hours; open that day: %s", r.hoursOn(day)))
	}
	wf, _ := ClockMinutes(w.From)
	if (from-wf)%r.SlotMinutes != 0 || minutes%r.SlotMinutes != 0 {
		return ruleError("start", "off_grid", fmt.Sprintf("须按 %d 分钟时段预约（自 %s 起）", r.SlotMinutes, w.From),
			fmt.Sprintf("book whole %d-minute slots (from %s)", r.SlotMinutes, w.From))
	}
	if minutes < r.MinMinutes {
		return ruleError("end", "too_short", fmt.Sprintf("最短预约 %d 分钟", r.MinMinutes), fmt.Sprintf("the shortest booking is %d minutes", r.MinMinutes))
	}
	if minutes > r.MaxMinutes {
		return ruleError("end", "too_long", fmt.Sprintf("最长预约 %d 分钟", r.MaxMinutes), fmt.Sprintf("the longest booking is %d minutes", r.MaxMinutes))
	}
	if latest := now.AddDate(0, 0, maxAdvanceDays); start.After(latest) {
		return ruleError("start", "too_far", fmt.Sprintf("最多提前 %d 天预约", maxAdvanceDays), fmt.Sprintf("book at most %d days ahead", maxAdvanceDays))
	}
	if earliest := now.Add(time.Duration(r.LeadHours) * time.Hour); start.Before(earliest) {
		at := earliest.In(civil.Shanghai).Format("2006-01-02 15:04")
		return ruleError("start", "lead_time", fmt.Sprintf("须至少提前 %d 小时预约，最早可约 %s 之后的时段", r.LeadHours, at),
			fmt.Sprintf("book at least %d hours ahead: the earliest start is after %s", r.LeadHours, at))
	}
	return nil
}

// Price is the charge for minutes of the resource at the hourly price of a kind of booker,
// rounded half up to the fen, and the rule that says so.
func (r ResourceRules) Price(bookerKind string, minutes int) (measure.Money, string) {
	hourly := r.Prices.Member
	label := "会员价 / member"
	switch bookerKind {
	case "non_member":
		hourly, label = r.Prices.NonMember, "非会员价 / non-member"
	case "other_park":
		hourly, label = r.Prices.OtherPark, "外园区价 / other park"
	}
	amount := (int64(hourly)*int64(minutes) + 30) / 60
	return measure.Money(amount), fmt.Sprintf("%s %s 元/小时 × %d 分钟", label, hourly, minutes)
}

// NextFree is the first start, at or after from on the same day, of a free stretch of the given
// minutes on the resource's grid, given the times taken; false when the day has none.
func (r ResourceRules) NextFree(from time.Time, minutes int, taken [][2]time.Time, holidays []civil.Date) (time.Time, bool) {
	day := civil.FromTime(from)
	if slices.Contains(holidays, day) {
		return time.Time{}, false
	}
	midnight := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, civil.Shanghai)
	wd := day.ISOWeekday()
	for _, w := range r.Hours {
		if w.Weekday != wd {
			continue
		}
		wf, _ := ClockMinutes(w.From)
		wt, _ := ClockMinutes(w.To)
		for m := wf; m+minutes <= wt; m += r.SlotMinutes {
			s := midnight.Add(time.Duration(m) * time.Minute)
			e := s.Add(time.Duration(minutes) * time.Minute)
			if s.Before(from) {
				continue
			}
			free := true
			for _, t := range taken {
				if s.Before(t[1]) && t[0].Before(e) {
					free = false
					break
				}
			}
			if free {
				return s, true
			}
		}
	}
	return time.Time{}, false
}

// Validate checks a booking request's own fields.
func (n *NewBooking) Validate() error {
	var f apperr.Fields
	if n.ResourceID == "" {
		f.Required("resource_id")
	}
	if n.Start.IsZero() {
		f.Required("start")
	}
	if n.End.IsZero() {
		f.Required("end")
	}
	if n.Weeks == 0 {
		n.Weeks = 1
	}
	if n.Weeks < 1 || n.Weeks > maxWeeks {
		f.Add("weeks", "out_of_range", "每周重复的周数应为 1–26", "weeks must be 1–26")
	}
	check.String(&f, "note", n.Note)
	check.Text(&f, "note", n.Note, 1000)
	return f.Err()
}

// Validate checks a certificate to issue.
func (n *NewCertificate) Validate() error {
	var f apperr.Fields
	n.Username, n.Kind = strings.TrimSpace(n.Username), strings.TrimSpace(n.Kind)
	if n.ParkID == "" {
		f.Required("park_id")
	}
	if n.Username == "" {
		f.Required("username")
	}
	if n.Kind == "" {
		f.Required("kind")
	}
	check.String(&f, "kind", n.Kind)
	check.Text(&f, "kind", n.Kind, 100)
	check.String(&f, "username", n.Username)
	if n.IssuedOn.IsZero() {
		f.Required("issued_on")
	}
	if n.ExpiresOn.IsZero() {
		f.Required("expires_on")
	} else if !n.ExpiresOn.After(n.IssuedOn) {
		f.Add("expires_on", "before_issue", "有效期截止日须晚于发证日期", "expires_on must be after issued_on")
	}
	return f.Err()
}
