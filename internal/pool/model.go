// Package pool is the park authority's park pool (入库园区, §6): which parks are in it, since
// when, their tier with its dated history and reasons, and featured-park recognitions by year.
package pool

import (
	"slices"
	"time"
	"unicode/utf8"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
)

// Tier is a pooled park's tier.
type Tier string

const (
	Planning Tier = "planning" // 规划布局
	Reserve  Tier = "reserve"  // 储备培育
	Key      Tier = "key"      // 重点打造
)

// Tiers in ascending order.
var Tiers = []Tier{Planning, Reserve, Key}

// Entry is a park in the pool.
type Entry struct {
	ParkID    string     `json:"park_id"`
	ParkCode  string     `json:"park_code"`
	ParkName  string     `json:"park_name"`
	District  string     `json:"district"`
	EnteredOn civil.Date `json:"entered_on"`
	Tier      Tier       `json:"tier"`
	TierSince civil.Date `json:"tier_since"`
	// FeaturedYears are the years the park was recognised as a featured park (特色产业园).
	FeaturedYears []int        `json:"featured_years"`
	History       []TierChange `json:"history,omitempty"`
	UpdatedAt     time.Time    `json:"updated_at"`
}

// TierChange is one dated tier decision with its reason.
type TierChange struct {
	ID          string     `json:"id"`
	ParkID      string     `json:"park_id"`
	Tier        Tier       `json:"tier"`
	EffectiveOn civil.Date `json:"effective_on"`
	Reason      string     `json:"reason"`
	CreatedAt   time.Time  `json:"created_at"`
}

// NewEntry enters a park into the pool.
type NewEntry struct {
	ParkID    string     `json:"park_id"`
	EnteredOn civil.Date `json:"entered_on"`
	Tier      Tier       `json:"tier"`
	Reason    string     `json:"reason"`
}

// TierDecision moves a pooled park to a tier from a date.
type TierDecision struct {
	Tier        Tier       `json:"tier"`
	EffectiveOn civil.Date `json:"effective_on"`
	Reason      string     `json:"reason"`
}

// Recognition recognises a pooled park as featured for a year.
type Recognition struct {
	Year int `json:"year"`
}

// Filter narrows the pool's list.
type Filter struct {
	Tier         Tier
	District     string
	FeaturedYear int
	Q            string
}

func checkTier(f *apperr.Fields, t Tier) {
	if !slices.Contains(Tiers, t) {
		f.Add("tier", "invalid", "梯队应为 planning（规划布局）、reserve（储备培育）或 key（重点打造）",
			"tier must be planning, reserve or key")
	}
}

func checkReason(f *apperr.Fields, reason string) {
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		f.Add("reason", "required", "请填写调整理由", "a reason is required")
	case n > 2000:
		f.Add("reason", "too_long", "理由不超过 2000 字", "a reason is at most 2,000 characters")
	}
}

// checkNotAfter refuses a decision dated after today: it would take the park's tier (and the
// cockpit's counts) at once, and lock out every correction dated before it.
func checkNotAfter(f *apperr.Fields, field string, d, today civil.Date) {
	if d.After(today) {
		f.Add(field, "future", "日期不能晚于今天（"+today.String()+"）", "the date cannot be after today ("+today.String()+")")
	}
}

// Validate checks an entry before it is made.
func (n NewEntry) Validate(today civil.Date) error {
	var f apperr.Fields
	if n.ParkID == "" {
		f.Required("park_id")
	}
	if n.EnteredOn.IsZero() {
		f.Required("entered_on")
	} else {
		checkNotAfter(&f, "entered_on", n.EnteredOn, today)
	}
	checkTier(&f, n.Tier)
	checkReason(&f, n.Reason)
	return f.Err()
}

// Validate checks a tier decision against the entry it changes: it cannot take effect before
// the park entered the pool or before the tier in force.
func (d TierDecision) Validate(e Entry, today civil.Date) error {
	var f apperr.Fields
	checkTier(&f, d.Tier)
	checkReason(&f, d.Reason)
	switch {
	case d.EffectiveOn.IsZero():
		f.Required("effective_on")
	case d.EffectiveOn.After(today):
		checkNotAfter(&f, "effective_on", d.EffectiveOn, today)
	case d.EffectiveOn.Before(e.TierSince):
		f.Add("effective_on", "before_current", "生效日期不能早于现行梯队的生效日期 "+e.TierSince.String(),
			"cannot take effect before the tier in force since "+e.TierSince.String())
	}
	if len(f) == 0 && d.Tier == e.Tier {
		f.Add("tier", "unchanged", "该园区已处于此梯队", "the park is already in this tier")
	}
	return f.Err()
}

// Validate checks a list's filters.
func (f Filter) Validate() error {
	var fs apperr.Fields
	if f.Tier != "" {
		checkTier(&fs, f.Tier)
	}
	if f.FeaturedYear != 0 && (f.FeaturedYear < 2000 || f.FeaturedYear > 2100) {
		fs.Add("featured_year", "out_of_range", "年份应在 2000–2100 之间", "year must be between 2000 and 2100")
	}
	return fs.Err()
}

// Validate checks a recognition's year.
func (r Recognition) Validate(e Entry) error {
	var f apperr.Fields
	switch {
	case r.Year < 2000 || r.Year > 2100:
		f.Add("year", "out_of_range", "年份应在 2000–2100 之间", "year must be between 2000 and 2100")
	case slices.Contains(e.FeaturedYears, r.Year):
		f.Add("year", "duplicate", "该年度已认定", "already recognised for this year")
	}
	return f.Err()
}

// TierOn is the tier in force on a day, from the history (oldest first); "" before the first.
func TierOn(history []TierChange, day civil.Date) Tier {
	var t Tier
	for _, c := range history {
		if !c.EffectiveOn.After(day) {
			t = c.Tier
		}
	}
	return t
}
