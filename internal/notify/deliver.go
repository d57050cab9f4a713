package notify

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/smtp"
	"strings"
	"syscall"
	"time"
)

// Outbox is what delivery needs of the store. Claim takes due deliveries for a lease (a
// compare-and-set per row, so two processes never send one twice at once).
type Outbox interface {
	Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Delivery, error)
	Sent(ctx context.Context, id string, at time.Time) error
	// Failed schedules the next attempt at next, or gives up when next is zero.
	Failed(ctx context.Context, id string, next time.Time, reason string) error
}

// SMTPConfig is where e-mail goes: a server HOST:PORT and the sender address; Username and
// Password when the server asks for them (PLAIN over TLS).
type SMTPConfig struct {
	Addr, From         string
	Username, Password string
}

// Deliverer sends the outbox: e-mail over SMTP, robot posts over HTTP. Before each round it
// runs Jobs (reminders that write to the outbox), when set.
type Deliverer struct {
	Jobs   []Job
	Outbox Outbox
	SMTP   SMTPConfig
	HTTP   *http.Client
	Now    func() time.Time
	Log    *slog.Logger
	// Observe, when set, hears each job's run and each delivery's outcome (the metrics).
	Observe Observer
}

// Job is a named piece of work the deliverer runs before each round.
type Job struct {
	Name string
	Run  func(ctx context.Context) (int, error)
}

// Observer hears what the deliverer does.
type Observer interface {
	JobRan(name string, took time.Duration, err error)
	Delivered(channel string, ok bool)
}

// backoff is the wait after each failed attempt; after the last, the delivery is given up.
var backoff = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 12 * time.Hour}

// Run delivers what is due every interval until ctx ends.
func (d *Deliverer) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		for _, job := range d.Jobs {
			began := time.Now()
			_, err := job.Run(ctx)
			if d.Observe != nil {
				d.Observe.JobRan(job.Name, time.Since(began), err)
			}
			if err != nil && ctx.Err() == nil {
				d.Log.Warn("reminder job", "job", job.Name, "err", err)
			}
		}
		if _, _, err := d.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			d.Log.Warn("outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// DeliverDue sends every due delivery once and says how many went and how many failed.
func (d *Deliverer) DeliverDue(ctx context.Context) (sent, failed int, err error) {
	due, err := d.Outbox.Claim(ctx, d.Now(), 10*time.Minute, 50)
	if err != nil {
		return 0, 0, err
	}
	for _, item := range due {
		sendErr := d.send(ctx, item)
		if d.Observe != nil {
			d.Observe.Delivered(item.Channel, sendErr == nil)
		}
		if sendErr != nil {
			failed++
			next := time.Time{}
			if item.Attempts <= len(backoff) {
				next = d.Now().Add(backoff[item.Attempts-1])
			}
			d.Log.Warn("delivery failed", "channel", item.Channel, "attempt", item.Attempts, "err", sendErr)
			if err := d.Outbox.Failed(ctx, item.ID, next, sendErr.Error()); err != nil {
				return sent, failed, err
			}
			continue
		}
		sent++
		if err := d.Outbox.Sent(ctx, item.ID, d.Now()); err != nil {
			return sent, failed, err
		}
	}
	return sent, failed, nil
}

func (d *Deliverer) send(ctx context.Context, item Delivery) error {
	if item.Channel == "email" {
		return d.mail(item)
	}
	return d.post(ctx, item)
}

// mail sends a UTF-8 text message; the subject is encoded as RFC 2047 words.
func (d *Deliverer) mail(item Delivery) error {
	if d.SMTP.Addr == "" {
		return fmt.Errorf("no SMTP server configured (--smtp-addr)")
	}
	var msg bytes.Buffer
	fmt.Fprintf(&msg, "From: %s\r\nTo: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
		d.SMTP.From, item.Target, mime.BEncoding.Encode("UTF-8", item.Subject))
	body := base64.StdEncoding.EncodeToString([]byte(item.Body))
	for len(body) > 76 {
		msg.WriteString(body[:76] + "\r\n")
		body = body[76:]
	}
	msg.WriteString(body + "\r\n")
	var auth smtp.Auth
	if d.SMTP.Username != "" {
		host, _, _ := strings.Cut(d.SMTP.Addr, ":")
		auth = smtp.PlainAuth("", d.SMTP.Username, d.SMTP.Password, host)
	}
	return smtp.SendMail(d.SMTP.Addr, auth, d.SMTP.From, []string{item.Target}, msg.Bytes())
}

// PublicHTTPClient posts only to public addresses: a robot's URL that names (or resolves to) a
// loopback, private, link-local or unspecified address is refused when dialled, so a park's
// webhook cannot reach the server's own network.
func PublicHTTPClient(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: timeout, Control: func(_, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip := net.ParseIP(host)
		if ip == nil || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsUnspecified() || ip.IsMulticast() {
			return fmt.Errorf("refused to post to the non-public address %s", host)
		}
		return nil
	}}
	return &http.Client{Timeout: timeout, Transport: &http.Transport{DialContext: dialer.DialContext, Proxy: nil}}
}

// robotBody is a text message in each robot's documented format.
func robotBody(kind, text string) any {
	if kind == "feishu" { // 飞书: {"msg_type":"text","content":{"text":…}}
		return map[string]any{"msg_type": "text", "content": map[string]string{"text": text}}
	}
	// 企业微信 and 钉钉: {"msgtype":"text","text":{"content":…}}
	return map[string]any{"msgtype": "text", "text": map[string]string{"content": text}}
}

// post sends a robot message; the robots answer 200 with a non-zero code when they refuse.
func (d *Deliverer) post(ctx context.Context, item Delivery) error {
	body, _ := json.Marshal(robotBody(item.Channel, item.Body))
	req, err := http.NewRequestWithContext(ctx, "POST", item.Target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := d.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("robot answered %d", res.StatusCode)
	}
	var codes struct {
		ErrCode *int `json:"errcode"`
		Code    *int `json:"code"`
	}
	if json.Unmarshal(answer, &codes) == nil {
		if codes.ErrCode != nil && *codes.ErrCode != 0 || codes.Code != nil && *codes.Code != 0 {
			return fmt.Errorf("robot refused the message: %s", answer)
		}
	}
	return nil
}
