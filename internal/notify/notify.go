// Package notify is the notification center (§10): what happened, told to the people it
// concerns — in the console (a bell and a list) and, by each user's choice, by e-mail; and to a
// park's group chats (企业微信, 钉钉, 飞书 robots). Messages leave through a table-backed outbox
// written in the same transaction as the change they tell of, so a slow mail server never slows
// a request and nothing is lost on a restart.
package notify

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/check"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
)

// Kinds of notification.
var Kinds = []string{"booking_requested", "booking_decided", "certificate_issued", "certificate_expiring",
	"service_request", "service_assigned", "service_status", "service_comment", "service_sla", "bill_issued", "bill_reminder", "policy_match", "policy_decision", "event_update", "event_reminder"}

// Channels a user may choose per kind; in-app is always on.
var Channels = []string{"email"}

// WebhookKinds are the group robots a park can post to, by their documented formats.
var WebhookKinds = []string{"wecom", "dingtalk", "feishu"}

// Message is one thing to tell.
type Message struct {
	Kind             string
	TitleZh, TitleEn string
	BodyZh, BodyEn   string
	Link             string // a console path
	ParkID           string // the park whose group chats hear of it ("" for none)
}

// Notification is a message as one user's bell shows it.
type Notification struct {
	ID        string     `json:"id"`
	Kind      string     `json:"kind"`
	TitleZh   string     `json:"title_zh"`
	TitleEn   string     `json:"title_en"`
	BodyZh    string     `json:"body_zh"`
	BodyEn    string     `json:"body_en"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
	UserID    string     `json:"-"`
}

// Recipient is a user to tell, with the address of their e-mail.
type Recipient struct {
	UserID, Email string
}

// Preference turns a channel on or off for a kind of notification.
type Preference struct {
	Kind    string `json:"kind"`
	Channel string `json:"channel"`
	Enabled bool   `json:"enabled"`
}

// PreferenceChange sets some of the caller's channel choices.
type PreferenceChange struct {
	Preferences []Preference `json:"preferences"`
}

// Webhook is a park's group robot.
type Webhook struct {
	ID        string    `json:"id"`
	ParkID    string    `json:"park_id"`
	Kind      string    `json:"kind"` // wecom | dingtalk | feishu
	URL       string    `json:"url"`
	CreatedAt time.Time `json:"created_at"`
}

// NewWebhook adds a group robot to a park.
type NewWebhook struct {
	Kind string `json:"kind"`
	URL  string `json:"url"`
}

// Delivery is one message waiting in the outbox for a channel.
type Delivery struct {
	ID       string
	Channel  string // email | wecom | dingtalk | feishu
	Target   string // an address or a robot's URL
	Subject  string
	Body     string
	Attempts int
}

// Store keeps notifications, preferences, robots and the outbox.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Record(ctx context.Context, sc identity.Scope, action, entity, id string, before, after any) error
	NewID() string
	InsertNotifications(ctx context.Context, ns []Notification) error
	Enqueue(ctx context.Context, ds []Delivery) error
	// EmailOptIns are the users among ids who chose e-mail for a kind.
	EmailOptIns(ctx context.Context, userIDs []string, kind string) (map[string]bool, error)
	ParkWebhooks(ctx context.Context, parkID string) ([]Webhook, error)
	ListNotifications(ctx context.Context, userID string, req page.Request) (page.Page[Notification], error)
	UnreadCount(ctx context.Context, userID string) (int, error)
	MarkRead(ctx context.Context, userID, id string) error
	Preferences(ctx context.Context, userID string) ([]Preference, error)
	SavePreferences(ctx context.Context, userID string, ps []Preference) error
	InsertWebhook(ctx context.Context, sc identity.Scope, w Webhook) error
	ListWebhooks(ctx context.Context, sc identity.Scope, parkID string) ([]Webhook, error)
}

// Service tells people what happened.
type Service struct {
	st  Store
	rc  Recipients
	now func() time.Time
}

// NewService builds the notification center.
func NewService(st interface {
	Store
	Recipients
}, now func() time.Time) *Service {
	return &Service{st: st, rc: st, now: now}
}

// Tell records m for each recipient and queues its e-mails and the park's robot posts, in the
// transaction of ctx: the caller's change and its notifications commit together.
func (s *Service) Tell(ctx context.Context, m Message, to []Recipient) error {
	if len(to) == 0 && m.ParkID == "" {
		return nil
	}
	ids := make([]string, len(to))
	for i, r := range to {
		ids[i] = r.UserID
	}
	optIn, err := s.st.EmailOptIns(ctx, ids, m.Kind)
	if err != nil {
		return err
	}
	var ns []Notification
	var ds []Delivery
	for _, r := range to {
		ns = append(ns, Notification{ID: s.st.NewID(), UserID: r.UserID, Kind: m.Kind, TitleZh: m.TitleZh, TitleEn: m.TitleEn,
			BodyZh: m.BodyZh, BodyEn: m.BodyEn, Link: m.Link, CreatedAt: s.now()})
		if optIn[r.UserID] && r.Email != "" {
			ds = append(ds, Delivery{ID: s.st.NewID(), Channel: "email", Target: r.Email, Subject: m.TitleZh + " / " + m.TitleEn,
				Body: m.BodyZh + "\n\n" + m.BodyEn + "\n"})
		}
	}
	if m.ParkID != "" {
		hooks, err := s.st.ParkWebhooks(ctx, m.ParkID)
		if err != nil {
			return err
		}
		for _, h := range hooks {
			ds = append(ds, Delivery{ID: s.st.NewID(), Channel: h.Kind, Target: h.URL, Subject: m.TitleZh, Body: m.TitleZh + "：" + m.BodyZh})
		}
	}
	if err := s.st.InsertNotifications(ctx, ns); err != nil {
		return err
	}
	return s.st.Enqueue(ctx, ds)
}

// Inbox is the caller's notifications, newest first.
func (s *Service) Inbox(ctx context.Context, sc identity.Scope, req page.Request) (page.Page[Notification], error) {
	return s.st.ListNotifications(ctx, sc.UserID, req)
}

// Unread is how many of the caller's notifications are unread (the bell).
func (s *Service) Unread(ctx context.Context, sc identity.Scope) (int, error) {
	return s.st.UnreadCount(ctx, sc.UserID)
}

// Read marks one of the caller's notifications read.
func (s *Service) Read(ctx context.Context, sc identity.Scope, id string) error {
	return s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.MarkRead(ctx, sc.UserID, id); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "read", "notification", id, nil, nil)
	})
}

// Preferences are the caller's channel choices, every kind and channel listed.
func (s *Service) Preferences(ctx context.Context, sc identity.Scope) ([]Preference, error) {
	kept, err := s.st.Preferences(ctx, sc.UserID)
	if err != nil {
		return nil, err
	}
	var out []Preference
	for _, k := range Kinds {
		for _, c := range Channels {
			i := slices.IndexFunc(kept, func(p Preference) bool { return p.Kind == k && p.Channel == c })
			out = append(out, Preference{Kind: k, Channel: c, Enabled: i >= 0 && kept[i].Enabled})
		}
	}
	return out, nil
}

// SetPreferences keeps the caller's channel choices.
func (s *Service) SetPreferences(ctx context.Context, sc identity.Scope, ps []Preference) ([]Preference, error) {
	var f apperr.Fields
	for i, p := range ps {
		if !slices.Contains(Kinds, p.Kind) {
			f.Add("["+strconv.Itoa(i)+"].kind", "unknown_value", "通知类型无效", "no such kind of notification")
		}
		if !slices.Contains(Channels, p.Channel) {
			f.Add("["+strconv.Itoa(i)+"].channel", "unknown_value", "渠道应为 email", "channel must be email")
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.SavePreferences(ctx, sc.UserID, ps); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "update", "notification_preferences", sc.UserID, nil, ps)
	})
	if err != nil {
		return nil, err
	}
	return s.Preferences(ctx, sc)
}

// AddWebhook adds a group robot to a park the caller operates.
func (s *Service) AddWebhook(ctx context.Context, sc identity.Scope, parkID string, n NewWebhook) (Webhook, error) {
	if !sc.HasPark(parkID) {
		return Webhook{}, apperr.ErrNotFound("园区", "park")
	}
	if !sc.May(identity.ManageFacilities) {
		return Webhook{}, apperr.ErrForbidden()
	}
	var f apperr.Fields
	if !slices.Contains(WebhookKinds, n.Kind) {
		f.Add("kind", "unknown_value", "机器人类型应为 wecom、dingtalk 或 feishu", "kind must be wecom, dingtalk or feishu")
	}
	check.String(&f, "url", n.URL)
	if !strings.HasPrefix(n.URL, "https://") && !strings.HasPrefix(n.URL, "http://") || len(n.URL) > 1000 {
		f.Add("url", "invalid", "请填写机器人的 http(s) 地址", "give the robot's http(s) address")
	}
	if err := f.Err(); err != nil {
		return Webhook{}, err
	}
	w := Webhook{ID: s.st.NewID(), ParkID: parkID, Kind: n.Kind, URL: n.URL, CreatedAt: s.now()}
	return w, s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.InsertWebhook(ctx, sc, w); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "create", "webhook", w.ID, nil, w)
	})
}

// Webhooks are a park's robots.
func (s *Service) Webhooks(ctx context.Context, sc identity.Scope, parkID string) ([]Webhook, error) {
	if !sc.HasPark(parkID) {
		return nil, apperr.ErrNotFound("园区", "park")
	}
	return s.st.ListWebhooks(ctx, sc, parkID)
}

// Recipients finds whom to tell.
type Recipients interface {
	// UserNamed is the active user with a username ("" UserID when there is none).
	UserNamed(ctx context.Context, username string) (Recipient, error)
	// FacilityStaff are the active users who look after a park's facilities and services.
	FacilityStaff(ctx context.Context, parkID string) ([]Recipient, error)
	// AuthorityStaff are the active users of the park authority.
	AuthorityStaff(ctx context.Context) ([]Recipient, error)
	// EnterpriseUsers are the active users of an enterprise.
	EnterpriseUsers(ctx context.Context, enterpriseID string) ([]Recipient, error)
}

// TellUser tells one user, by username, in the transaction of ctx.
func (s *Service) TellUser(ctx context.Context, username string, m Message) error {
	r, err := s.rc.UserNamed(ctx, username)
	if err != nil || r.UserID == "" {
		return err
	}
	return s.Tell(ctx, m, []Recipient{r})
}

// TellParkStaff tells the staff who look after a park's facilities, and the park's robots.
func (s *Service) TellParkStaff(ctx context.Context, parkID string, m Message) error {
	rs, err := s.rc.FacilityStaff(ctx, parkID)
	if err != nil {
		return err
	}
	m.ParkID = parkID
	return s.Tell(ctx, m, rs)
}

// TellAuthority tells the park authority's users.
func (s *Service) TellAuthority(ctx context.Context, m Message) error {
	rs, err := s.rc.AuthorityStaff(ctx)
	if err != nil {
		return err
	}
	return s.Tell(ctx, m, rs)
}

// TellEnterprise tells an enterprise's users, and the park's robots when the message names one.
func (s *Service) TellEnterprise(ctx context.Context, enterpriseID string, m Message) error {
	rs, err := s.rc.EnterpriseUsers(ctx, enterpriseID)
	if err != nil {
		return err
	}
	return s.Tell(ctx, m, rs)
}
