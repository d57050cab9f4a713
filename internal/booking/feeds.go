package booking

import (
	"context"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
)

// feedDays bound what a feed holds: a month back, half a year ahead.
const feedDaysBack, feedDaysAhead = 31, 183

// CreateFeed makes a calendar feed for the caller: its own bookings (an enterprise's user) or
// its parks' (staff), or one resource's it may see. The token is shown once.
func (s *Service) CreateFeed(ctx context.Context, sc identity.Scope, n NewFeed) (FeedCreated, error) {
	if sc.UserID == "" {
		return FeedCreated{}, apperr.ErrForbidden()
	}
	if n.ResourceID != "" {
		if _, err := s.st.GetResource(ctx, sc, n.ResourceID); err != nil {
			if apperr.Is(err, apperr.NotFound) {
				return FeedCreated{}, ruleError("resource_id", "not_found", "共享资源不存在", "no such resource")
			}
			return FeedCreated{}, err
		}
	}
	token, hash, err := identity.NewToken("cal_")
	if err != nil {
		return FeedCreated{}, err
	}
	f := Feed{ID: s.st.NewID(), ResourceID: n.ResourceID, UserID: sc.UserID, CreatedAt: s.clock.Now()}
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.InsertFeed(ctx, f, hash); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "create", "calendar_feed", f.ID, nil, f)
	})
	return FeedCreated{Feed: f, Path: "/calendar/" + token + ".ics"}, err
}

// Feeds are the caller's calendar feeds.
func (s *Service) Feeds(ctx context.Context, sc identity.Scope) ([]Feed, error) {
	return s.st.Feeds(ctx, sc.UserID)
}

// RevokeFeed stops one of the caller's feeds: its address answers 404 from then on.
func (s *Service) RevokeFeed(ctx context.Context, sc identity.Scope, id string) error {
	return s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.RevokeFeed(ctx, sc.UserID, id); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "revoke", "calendar_feed", id, nil, Feed{ID: id, UserID: sc.UserID})
	})
}

// FeedICS is the iCalendar document of a feed, read in the scope of the user who made it (a
// disabled user's feeds are gone). A resource's feed shows the caller's own bookings in full
// and other enterprises' only as taken time.
func (s *Service) FeedICS(ctx context.Context, token string) ([]byte, error) {
	f, err := s.st.FeedByToken(ctx, identity.HashToken(token))
	if err != nil {
		return nil, err
	}
	u, err := s.st.GetUser(ctx, identity.System(), f.UserID)
	if err != nil || u.Disabled {
		return nil, apperr.ErrNotFound("日历订阅", "calendar feed")
	}
	sc := identity.ScopeOf(u)
	today := s.clock.Today()
	from, to := today.AddDays(-feedDaysBack), today.AddDays(feedDaysAhead)
	filter := Filter{ResourceID: f.ResourceID, From: from, To: to}
	if sc.Role.IsEnterprise() && f.ResourceID == "" {
		filter.Username = u.Username
	}
	list, err := s.st.ListBookings(ctx, sc, filter, page.Request{Limit: page.MaxLimit})
	if err != nil {
		return nil, err
	}
	name := u.Username
	var events []Event
	mine := map[[2]int64]bool{}
	for _, b := range list.Items {
		if b.Status != Requested && b.Status != Approved && b.Status != CheckedIn && b.Status != Completed {
			continue
		}
		mine[[2]int64{b.Start.Unix(), b.End.Unix()}] = true
		events = append(events, Event{UID: b.ID + "@parkos", Start: b.Start, End: b.End, Stamp: b.UpdatedAt, Summary: b.ResourceName,
			Description: b.EnterpriseName + " · " + b.Username, Tentative: b.Status == Requested})
	}
	if f.ResourceID != "" {
		r, err := s.st.GetResource(ctx, sc, f.ResourceID)
		if err != nil {
			return nil, err
		}
		name = r.Name
		if sc.Role.IsEnterprise() { // others' bookings: only that the time is taken
			at := func(d civil.Date) time.Time {
				return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, civil.Shanghai)
			}
			taken, err := s.st.Taken(ctx, r.ID, at(from), at(to.AddDays(1)))
			if err != nil {
				return nil, err
			}
			for _, t := range taken {
				if !mine[[2]int64{t[0].Unix(), t[1].Unix()}] {
					events = append(events, Event{UID: r.ID + "-" + t[0].UTC().Format("20060102T1504") + "@parkos", Start: t[0], End: t[1],
						Stamp: s.clock.Now(), Summary: r.Name + "（已被预约 / booked）"})
				}
			}
		}
	}
	return ICS(name, events), nil
}
