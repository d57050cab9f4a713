package api

import (
	"net/http"

	"github.com/parkos/parkos/internal/event"
	"github.com/parkos/parkos/internal/page"
)

// EventCancel cancels an event, with the reason told to those registered.
type EventCancel struct {
	Reason string `json:"reason"`
}

func (s *Server) eventRoutes() []route {
	sv := s.svc
	return []route{
		{Method: "GET", Pattern: "/api/v1/events", Tag: "events",
			Summary: "活动日历：论坛、路演、培训、园区行（企业可见开放、本园区及受邀的活动） / Events across the parks the caller sees (an enterprise: open ones, its parks' and those it is invited to)",
			Query: []param{{"park_id", "string", "园区 / park"}, {"kind", "string", "forum | roadshow | training | park_visit"},
				{"from", "string", "此后结束，YYYY-MM-DD / ending after this day"}, {"to", "string", "此前开始，YYYY-MM-DD / starting before this day"},
				describeSorts("starts"), pageParams[0], pageParams[1]},
			Response: page.Page[event.Event]{}, handle: func(c *call) (any, error) {
				f := event.Filter{ParkID: c.q.Str("park_id"), Kind: c.q.Str("kind")}
				if d := c.q.Date("from"); !d.IsZero() {
					f.From = d.Time()
				}
				if d := c.q.Date("to"); !d.IsZero() {
					f.To = d.Time()
				}
				req := c.q.Page()
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Events.Events(c.ctx, c.scope, f, req)
			}},
		{Method: "POST", Pattern: "/api/v1/events", Tag: "events",
			Summary: "安排活动并按时间预约场地（场地已被占用则拒绝） / Schedule an event and book its venue for its time (refused when the venue is taken)",
			Body:    event.NewEvent{}, Response: event.Event{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in event.NewEvent
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Events.CreateEvent(c.ctx, c.scope, in)
			}},
		{Method: "GET", Pattern: "/api/v1/events/{id}", Tag: "events", Summary: "活动及报名人数 / An event with its places taken",
			Response: event.Event{}, handle: func(c *call) (any, error) { return sv.Events.Event(c.ctx, c.scope, c.id()) }},
		{Method: "POST", Pattern: "/api/v1/events/{id}/cancel", Tag: "events",
			Summary: "取消活动：释放场地并通知报名者 / Cancel an event: the venue is released and those registered told",
			Body:    EventCancel{}, Response: event.Event{}, handle: func(c *call) (any, error) {
				var in EventCancel
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Events.CancelEvent(c.ctx, c.scope, c.id(), in.Reason)
			}},
		{Method: "GET", Pattern: "/api/v1/events/{id}/attendance", Tag: "events",
			Summary:  "签到与缺席：报名、候补、签到、未到 / Attendance: registered, waiting, checked in, no-shows",
			Response: event.Attendance{}, handle: func(c *call) (any, error) { return sv.Events.Attendance(c.ctx, c.scope, c.id()) }},
		{Method: "GET", Pattern: "/api/v1/events/{id}/calendar", Tag: "events", Summary: "活动的日历条目（iCalendar） / The event as an iCalendar entry",
			Download: "text/calendar", handle: func(c *call) (any, error) {
				data, _, err := sv.Events.ICS(c.ctx, c.scope, c.id(), "")
				return file{name: "event.ics", data: data}, err
			}},
		{Method: "POST", Pattern: "/api/v1/events/{id}/registrations", Tag: "events",
			Summary: "报名：企业用户本人（无请求体），或登记来宾（姓名、单位、电话）；满员进入候补或拒绝 / Register yourself (no body), or a guest by name; when full, the waiting list or a refusal",
			Body:    event.NewRegistration{}, Response: event.Registration{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in event.NewRegistration
				if err := c.decodeOptional(&in); err != nil {
					return nil, err
				}
				return sv.Events.Register(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "POST", Pattern: "/api/v1/events/{id}/check-in", Tag: "events",
			Summary: "扫码或输入签到码签到（每码一次） / Check in by the code, scanned or typed (once)",
			Body:    event.CheckIn{}, Response: event.Registration{}, handle: func(c *call) (any, error) {
				var in event.CheckIn
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Events.CheckIn(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "GET", Pattern: "/api/v1/event-registrations", Tag: "events",
			Summary:  "我的报名（未结束的活动） / The caller's registrations of events not yet over",
			Response: []event.Registration{}, handle: func(c *call) (any, error) { return sv.Events.Mine(c.ctx, c.scope) }},
		{Method: "GET", Pattern: "/api/v1/event-registrations/{id}", Tag: "events", Summary: "报名及签到码 / A registration with its check-in code",
			Response: event.Registration{}, handle: func(c *call) (any, error) { return sv.Events.Registration(c.ctx, c.scope, c.id()) }},
		{Method: "POST", Pattern: "/api/v1/event-registrations/{id}/cancel", Tag: "events",
			Summary:  "取消报名：候补第一位递补并获通知 / Give up a place: the first waiting takes it and is told",
			Response: event.Registration{}, handle: func(c *call) (any, error) { return sv.Events.CancelRegistration(c.ctx, c.scope, c.id()) }},
		{Method: "GET", Pattern: "/api/v1/event-registrations/{id}/qr", Tag: "events", Summary: "签到二维码（PNG） / The check-in code as a QR code (PNG)",
			Download: "image/png", handle: func(c *call) (any, error) {
				data, err := sv.Events.QR(c.ctx, c.scope, c.id())
				return file{name: "check-in.png", data: data}, err
			}},
		{Method: "GET", Pattern: "/api/v1/event-registrations/{id}/calendar", Tag: "events",
			Summary:  "报名的日历条目（含签到码） / The registration as an iCalendar entry, with its code",
			Download: "text/calendar", handle: func(c *call) (any, error) {
				data, _, err := sv.Events.ICS(c.ctx, c.scope, "", c.id())
				return file{name: "registration.ics", data: data}, err
			}},
	}
}
