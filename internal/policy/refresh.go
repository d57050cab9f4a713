package policy

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/indicator"
)

// staleBatch is how many changed enterprises one pass of the worker judges again.
const staleBatch = 200

// factYears is how many years of figures are kept per enterprise, back from this year.
const factYears = 5

// Refresh judges again the enterprises whose facts changed (a report approved, a period opened
// for them, a qualification or residency written, the profile edited): their years of figures
// are worked out again by §6.1 rule 1, every policy in force is judged for them, a new match is
// told and a lost one dropped. It is a job of the delivery worker; it says how many enterprises
// it judged.
func (s *Service) Refresh(ctx context.Context) (int, error) {
	n := 0
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		ids, err := s.st.ClaimStale(ctx, staleBatch)
		if err != nil || len(ids) == 0 {
			return err
		}
		n = len(ids)
		policies, err := s.st.PublishedPolicies(ctx)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := s.refreshYears(ctx, id); err != nil {
				return err
			}
			if err := s.rejudge(ctx, id, policies); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// RematchDaily judges every policy in force again once a day, for what the calendar changes:
// qualifications that expire or begin, birthdays of companies, policies that come into force.
// It says how many policies it judged. Each policy is judged in a transaction of its own,
// claimed for the day: a city's policies take minutes to judge, and one transaction would hold
// the only writer (SQLite) that long, so every sign-in and edit would wait. Each instance takes
// the policies in an order of its own, so instances share them; a policy that fails is left
// for the next run and does not hold up the others, and the day is done once all were judged.
func (s *Service) RematchDaily(ctx context.Context) (int, error) {
	day := s.clock.Today()
	if done, err := s.st.RematchDayDone(ctx, day); err != nil || done {
		return 0, err
	}
	policies, err := s.st.PublishedPolicies(ctx)
	if err != nil {
		return 0, err
	}
	rand.Shuffle(len(policies), func(i, j int) { policies[i], policies[j] = policies[j], policies[i] })
	n := 0
	var failed []error
	for _, listed := range policies {
		judged := false
		err := s.st.InTx(ctx, func(ctx context.Context) error {
			// Read again under its lock: it may have been edited or withdrawn since the list.
			p, err := s.st.LockPolicy(ctx, identity.System(), listed.ID)
			if err != nil || p.Status != Published {
				return err
			}
			first, err := s.st.ClaimPolicyRematch(ctx, p.ID, day)
			if err != nil || !first {
				return err
			}
			judged = true
			return s.rematch(ctx, p)
		})
		switch {
		case ctx.Err() != nil:
			return n, ctx.Err()
		case err != nil:
			failed = append(failed, fmt.Errorf("policy %s: %w", listed.ID, err))
		case judged:
			n++
		}
	}
	if len(failed) > 0 {
		return n, errors.Join(failed...)
	}
	return n, s.st.InTx(ctx, func(ctx context.Context) error { return s.st.FinishRematchDay(ctx, day) })
}

// refreshYears works out an enterprise's years again from its reports: a year is complete when
// it is complete in every park the enterprise reported in; its figures add up over the parks.
func (s *Service) refreshYears(ctx context.Context, enterpriseID string) error {
	this := s.clock.Today().Year()
	years := make([]int, factYears)
	for i := range years {
		years[i] = this - i
	}
	rows, err := s.st.EnterpriseFilings(ctx, identity.System(), enterpriseID, years)
	if err != nil {
		return err
	}
	type key struct {
		year int
		park string
	}
	filings := map[key][]indicator.Filing{}
	for _, r := range rows {
		k := key{r.Year, r.ParkID}
		filings[k] = append(filings[k], r.Filing)
	}
	out := map[int]YearFigures{}
	for k, fs := range filings {
		y := indicator.YearOf(enterpriseID, k.park, k.year, fs)
		yf, seen := out[k.year]
		if !seen {
			yf = YearFigures{Complete: true}
		}
		yf.Complete = yf.Complete && y.Complete
		for _, m := range YearMeasures {
			if v, ok := y.Figures[m]; ok {
				yf.Add(m, v)
			}
		}
		out[k.year] = yf
	}
	return s.st.SaveYearFacts(ctx, enterpriseID, out)
}

// rejudge judges one enterprise against every published policy and brings its matches up to
// date.
func (s *Service) rejudge(ctx context.Context, enterpriseID string, policies []Policy) error {
	day := s.clock.Today()
	had, err := s.st.MatchedPolicies(ctx, enterpriseID)
	if err != nil {
		return err
	}
	f, districts, err := s.factsOf(ctx, enterpriseID, policies, day)
	if err != nil {
		return err
	}
	for _, p := range policies {
		met := false
		var e Estimate
		if f != nil && p.InForce(day) && p.Scope.covers(*f, districts) {
			r, err := compile(p.Eligibility, "eligibility")
			if err != nil {
				return err
			}
			year := p.YearOn(day)
			j := judge{facts: f, day: day, year: year, leaves: make([]Outcome, maxLeaves+1)}
			if met = j.outcome(r) == Met; met {
				e = p.Amount.Estimate(*f, year)
			}
		}
		_, was := had[p.ID]
		switch {
		case met:
			if err := s.st.SaveMatch(ctx, p.ID, enterpriseID, e.Amount, day); err != nil {
				return err
			}
			if !was {
				if err := s.matched(ctx, p, *f, e); err != nil {
					return err
				}
			}
		case was:
			if err := s.st.DeleteMatch(ctx, p.ID, enterpriseID); err != nil {
				return err
			}
		}
	}
	return nil
}
