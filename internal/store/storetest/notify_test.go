package storetest

import (
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// TestNotificationsReachEveryChannel: a booking awaiting approval tells the park's facility
// staff in the console and the park's robots; its approval tells the booker, by e-mail too since
// the booker chose it. The outbox delivers e-mail to a local SMTP server and each robot's own
// JSON format to a local HTTP receiver; a robot that refuses is tried again later, on both engines.
func TestNotificationsReachEveryChannel(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st *sqlstore.Store) {
		w := NewWorld(t, st)
		sys := identity.System()
		clock := civil.FixedClock(bookingDay)
		notices := notify.NewService(st, clock.Now)
		svc := booking.NewService(st, clock, notices)
		var mu sync.Mutex
		posts := map[string]map[string]any{}
		robots := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			var body map[string]any
			json.NewDecoder(r.Body).Decode(&body)
			mu.Lock()
			posts[r.URL.Path] = body
			mu.Unlock()
			if r.URL.Path == "/refuses" {
				io.WriteString(rw, `{"errcode":93000,"errmsg":"invalid webhook url"}`)
				return
			}
			io.WriteString(rw, `{"errcode":0,"code":0}`)
		}))
		defer robots.Close()
		staff := w.Scope(identity.ParkManager)
		for kind, path := range map[string]string{"wecom": "/wecom", "feishu": "/feishu", "dingtalk": "/refuses"} {
			if _, err := notices.AddWebhook(ctx, staff, w.Parks[0].ID, notify.NewWebhook{Kind: kind, URL: robots.URL + path}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := notices.AddWebhook(ctx, staff, w.Parks[0].ID, notify.NewWebhook{Kind: "slack", URL: "ftp://x"}); err == nil {
			t.Error("an unknown robot and a non-http address were accepted")
		}
		tenant := w.Scope(identity.EntAdmin)
		user, err := AccountsOf(st).GetUser(ctx, sys, tenant.UserID)
		if err != nil {
			t.Fatal(err)
		}
		in := user.Input()
		in.Email = "tenant@example.com"
		if _, err := AccountsOf(st).UpdateUser(ctx, sys, user.ID, in); err != nil {
			t.Fatal(err)
		}
		if _, err := notices.SetPreferences(ctx, tenant, []notify.Preference{{Kind: "booking_decided", Channel: "email", Enabled: true}}); err != nil {
			t.Fatal(err)
		}
		lab := p2Lab(t, svc, w.Parks[0].ID)
		if _, err := svc.IssueCertificate(ctx, staff, booking.NewCertificate{ParkID: w.Parks[0].ID, Username: tenant.Username, Kind: "p2",
			IssuedOn: civil.Of(2025, 1, 1), ExpiresOn: civil.Of(2030, 1, 1)}); err != nil {
			t.Fatal(err)
		}
		res, err := svc.Book(ctx, tenant, booking.NewBooking{ResourceID: lab.ID, Start: at(1, 10, 0), End: at(1, 11, 0)})
		if err != nil {
			t.Fatal(err)
		}
		for _, role := range []identity.Role{identity.ParkManager, identity.Service} {
			inbox, err := notices.Inbox(ctx, w.Scope(role), page.Request{})
			if err != nil || len(inbox.Items) != 1 || inbox.Items[0].Kind != "booking_requested" {
				t.Errorf("%s's inbox: %+v %v, want the booking to approve", role, inbox.Items, err)
			}
		}
		if _, err := svc.Decide(ctx, staff, res.Booked[0].ID, booking.Decision{Action: "approve"}); err != nil {
			t.Fatal(err)
		}
		inbox, err := notices.Inbox(ctx, tenant, page.Request{})
		if err != nil || len(inbox.Items) != 2 || inbox.Items[0].Kind != "booking_decided" || inbox.Items[1].Kind != "certificate_issued" {
			t.Fatalf("the tenant's inbox: %+v %v", inbox.Items, err)
		}
		if n, _ := notices.Unread(ctx, tenant); n != 2 {
			t.Errorf("unread %d, want 2", n)
		}
		if err := notices.Read(ctx, tenant, inbox.Items[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := notices.Read(ctx, w.Scope(identity.ParkManager), inbox.Items[1].ID); err == nil {
			t.Error("someone else marked the tenant's notification read")
		}
		if n, _ := notices.Unread(ctx, tenant); n != 1 {
			t.Errorf("unread after reading one: %d, want 1", n)
		}

		sink := NewSMTPSink(t)
		d := &notify.Deliverer{Outbox: st, SMTP: notify.SMTPConfig{Addr: sink.Addr, From: "parkos@example.com"}, HTTP: robots.Client(),
			Now: clock.Now, Log: slog.New(slog.DiscardHandler)}
		sent, failed, err := d.DeliverDue(ctx)
		// Three robots for the request (one refuses), one e-mail for the approval.
		if err != nil || sent != 3 || failed != 1 {
			t.Fatalf("delivered %d, failed %d, %v; want 3 and 1", sent, failed, err)
		}
		if len(sink.Messages()) != 1 || !strings.Contains(sink.Messages()[0], "To: tenant@example.com") {
			t.Fatalf("mail: %q", sink.Messages())
		}
		subject := between(sink.Messages()[0], "Subject: ", "\r\n")
		if decoded, err := new(mime.WordDecoder).DecodeHeader(subject); err != nil || !strings.Contains(decoded, "预约已批准") {
			t.Errorf("the subject %q decodes to %q (%v)", subject, decoded, err)
		}
		if text, _ := posts["/wecom"]["text"].(map[string]any); posts["/wecom"]["msgtype"] != "text" || !strings.Contains(text["content"].(string), "待审批预约") {
			t.Errorf("the WeCom robot got %v", posts["/wecom"])
		}
		if content, _ := posts["/feishu"]["content"].(map[string]any); posts["/feishu"]["msg_type"] != "text" || content["text"] == nil {
			t.Errorf("the Feishu robot got %v", posts["/feishu"])
		}
		if sent, failed, err := d.DeliverDue(ctx); sent+failed != 0 || err != nil {
			t.Errorf("again at once: %d sent, %d failed, %v; the refused post waits for its retry", sent, failed, err)
		}
		later := &notify.Deliverer{Outbox: st, HTTP: robots.Client(), Log: d.Log, Now: func() time.Time { return clock.Now().Add(2 * time.Minute) }}
		if _, failed, _ := later.DeliverDue(ctx); failed != 1 {
			t.Errorf("after the first backoff the refused post is tried again: %d failed", failed)
		}
	})
}

func between(s, start, end string) string {
	_, rest, _ := strings.Cut(s, start)
	v, _, _ := strings.Cut(rest, end)
	return v
}

// TestCertificateExpiryReminders: the holder of a certificate expiring within 30 days is told
// once; one expiring later, or expired already, is not.
func TestCertificateExpiryReminders(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st *sqlstore.Store) {
		w := NewWorld(t, st)
		clock := civil.FixedClock(bookingDay)
		notices := notify.NewService(st, clock.Now)
		svc := booking.NewService(st, clock, notices)
		tenant := w.Scope(identity.EntAdmin)
		for kind, expires := range map[string]civil.Date{"p2": bookingDay.AddDays(10), "animal": bookingDay.AddDays(60), "cgt": bookingDay.AddDays(-1)} {
			if _, err := svc.IssueCertificate(ctx, identity.System(), booking.NewCertificate{ParkID: w.Parks[0].ID, Username: tenant.Username,
				Kind: kind, IssuedOn: civil.Of(2025, 1, 1), ExpiresOn: expires}); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := svc.RemindExpiring(ctx); err != nil || n != 1 {
			t.Fatalf("reminded %d (%v), want the p2 certificate only", n, err)
		}
		if n, err := svc.RemindExpiring(ctx); err != nil || n != 0 {
			t.Errorf("a second run reminded %d (%v), want none", n, err)
		}
		inbox, err := notices.Inbox(ctx, tenant, page.Request{})
		if err != nil || len(inbox.Items) == 0 || inbox.Items[0].Kind != "certificate_expiring" || !strings.Contains(inbox.Items[0].TitleZh, "p2") {
			t.Errorf("the tenant's newest notification: %+v %v", inbox.Items, err)
		}
	})
}
