package api

import (
	"net/http"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/page"
)

func (s *Server) bookingRoutes() []route {
	sv := s.svc
	return []route{
		{Method: "GET", Pattern: "/api/v1/resources", Tag: "facilities",
			Summary: "可预约的共享资源（P2 实验室、动物房、仪器、会议室、路演厅、算力） / Bookable shared resources",
			Query:   []param{{"park_id", "string", "园区 / park"}}, Response: []booking.Resource{}, handle: func(c *call) (any, error) {
				return sv.Bookings.Resources(c.ctx, c.scope, c.q.Str("park_id"))
			}},
		{Method: "POST", Pattern: "/api/v1/resources", Tag: "facilities", Summary: "新增共享资源及其规则 / Add a shared resource with its rules",
			Body: booking.NewResource{}, Response: booking.Resource{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in booking.NewResource
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Bookings.CreateResource(c.ctx, c.scope, in)
			}},
		{Method: "GET", Pattern: "/api/v1/resources/{id}", Tag: "facilities", Summary: "共享资源 / A shared resource",
			Response: booking.Resource{}, handle: func(c *call) (any, error) { return sv.Bookings.Resource(c.ctx, c.scope, c.id()) }},
		{Method: "PUT", Pattern: "/api/v1/resources/{id}/rules", Tag: "facilities",
			Summary: "修改资源规则（已有预约不受影响） / Change a resource's rules (bookings made keep theirs)",
			Body:    booking.ResourceRules{}, Response: booking.Resource{}, handle: func(c *call) (any, error) {
				var in booking.ResourceRules
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Bookings.UpdateRules(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "GET", Pattern: "/api/v1/resources/{id}/week", Tag: "facilities",
			Summary:  "资源一周的时段：空闲、已约、不可约 / A resource's week of slots: free, taken or closed",
			Query:    []param{{"day", "string", "该周内任一天，默认今天 / any day of the week, today by default"}},
			Response: booking.Week{}, handle: func(c *call) (any, error) {
				day := c.q.Date("day")
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				if day.IsZero() {
					day = sv.Clock.Today()
				}
				return sv.Bookings.WeekOf(c.ctx, c.scope, c.id(), day)
			}},
		{Method: "GET", Pattern: "/api/v1/resources/{id}/utilisation", Tag: "facilities",
			Summary:  "资源逐月利用率：已确认、已签到、已完成和爽约小时数 ÷ 开放小时数 / A resource's utilisation by month: booked hours ÷ open hours",
			Query:    []param{{"year", "integer", "年份，默认今年 / year, this year by default"}},
			Response: []booking.MonthUse{}, handle: func(c *call) (any, error) {
				year := c.q.Int("year")
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				if year == 0 {
					year = sv.Clock.Today().Year()
				}
				if year < 2000 || year > 2100 {
					return nil, apperr.New(apperr.Invalid, "年份应在 2000–2100 之间", "year must be between 2000 and 2100").WithField("year", "out_of_range")
				}
				return sv.Bookings.Utilisation(c.ctx, c.scope, c.id(), year)
			}},
		{Method: "GET", Pattern: "/api/v1/bookings", Tag: "facilities", Summary: "预约 / Bookings",
			Query: []param{{"resource_id", "string", "资源 / resource"}, {"enterprise_id", "string", "企业 / enterprise"},
				{"status", "string", "requested | approved | rejected | checked_in | completed | no_show | cancelled"},
				{"from", "string", "开始日期起 / starting on or after"}, {"to", "string", "开始日期止 / starting on or before"},
				describeSorts("start"), pageParams[0], pageParams[1]},
			Response: page.Page[booking.Booking]{}, handle: func(c *call) (any, error) {
				f := booking.Filter{ResourceID: c.q.Str("resource_id"), EnterpriseID: c.q.Str("enterprise_id"), Status: booking.Status(c.q.Str("status")),
					From: c.q.Date("from"), To: c.q.Date("to")}
				req := c.q.Page()
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Bookings.Bookings(c.ctx, c.scope, f, req)
			}},
		{Method: "POST", Pattern: "/api/v1/bookings", Tag: "facilities",
			Summary: "预约资源（weeks > 1 为每周重复：能约的都约上，逐日列出无法预约的日期及原因） / Book a resource (weeks > 1 repeats weekly: books what it can and lists each refused date with its rule)",
			Body:    booking.NewBooking{}, Response: booking.SeriesResult{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in booking.NewBooking
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Bookings.Book(c.ctx, c.scope, in)
			}},
		{Method: "GET", Pattern: "/api/v1/bookings/{id}", Tag: "facilities", Summary: "预约 / A booking",
			Response: booking.Booking{}, handle: func(c *call) (any, error) { return sv.Bookings.Booking(c.ctx, c.scope, c.id()) }},
		{Method: "POST", Pattern: "/api/v1/bookings/{id}/decision", Tag: "facilities",
			Summary: "审批、驳回、签到、完成、爽约或取消预约 / Approve, reject, check in, complete, mark a no-show or cancel a booking",
			Body:    booking.Decision{}, Response: booking.Booking{}, handle: func(c *call) (any, error) {
				var in booking.Decision
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Bookings.Decide(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "GET", Pattern: "/api/v1/certificates", Tag: "facilities", Summary: "培训合格证 / Training certificates",
			Query: []param{{"park_id", "string", "园区 / park"}}, Response: []booking.Certificate{}, handle: func(c *call) (any, error) {
				return sv.Bookings.Certificates(c.ctx, c.scope, c.q.Str("park_id"))
			}},
		{Method: "POST", Pattern: "/api/v1/certificates", Tag: "facilities", Summary: "为企业用户签发培训合格证 / Issue a training certificate to an enterprise's user",
			Body: booking.NewCertificate{}, Response: booking.Certificate{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in booking.NewCertificate
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Bookings.IssueCertificate(c.ctx, c.scope, in)
			}},
		{Method: "GET", Pattern: "/api/v1/parks/{id}/holidays", Tag: "facilities", Summary: "园区休息日 / A park's closed days",
			Query: []param{{"year", "integer", "年份，默认今年 / year, this year by default"}}, Response: []string{}, handle: func(c *call) (any, error) {
				year := c.q.Int("year")
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				if year == 0 {
					year = sv.Clock.Today().Year()
				}
				return sv.Bookings.ParkHolidays(c.ctx, c.scope, c.id(), year)
			}},
		{Method: "POST", Pattern: "/api/v1/parks/{id}/holidays", Tag: "facilities", Summary: "设置园区休息日 / Close a park for a day",
			Body: booking.Holiday{}, Response: booking.Holiday{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in booking.Holiday
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Bookings.AddHoliday(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "GET", Pattern: "/api/v1/calendar-feeds", Fresh: true, Tag: "facilities", Summary: "我的日历订阅 / Your calendar feeds",
			Response: []booking.Feed{}, handle: func(c *call) (any, error) { return sv.Bookings.Feeds(c.ctx, c.scope) }},
		{Method: "POST", Pattern: "/api/v1/calendar-feeds", Tag: "facilities",
			Summary: "新建 iCalendar 订阅：我的预约，或某资源的预约（地址只显示这一次，可随时吊销） / Make an iCalendar feed of your bookings or of a resource's (the address is shown once; revoke it at any time)",
			Body:    booking.NewFeed{}, Response: booking.FeedCreated{}, Status: http.StatusCreated, Secret: true, handle: func(c *call) (any, error) {
				var in booking.NewFeed
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Bookings.CreateFeed(c.ctx, c.scope, in)
			}},
		{Method: "DELETE", Pattern: "/api/v1/calendar-feeds/{id}", Tag: "facilities", Summary: "吊销日历订阅 / Revoke a calendar feed",
			Status: http.StatusNoContent, handle: func(c *call) (any, error) { return nil, sv.Bookings.RevokeFeed(c.ctx, c.scope, c.id()) }},
		{Method: "GET", Pattern: "/calendar/{id}", Tag: "facilities", Public: true,
			Summary:  "iCalendar 订阅内容（RFC 5545，地址即凭证） / An iCalendar feed (RFC 5545; the address is the credential)",
			Download: "text/calendar", handle: func(c *call) (any, error) {
				token, ok := strings.CutSuffix(c.id(), ".ics")
				if !ok {
					return nil, apperr.ErrNotFound("日历订阅", "calendar feed")
				}
				data, err := sv.Bookings.FeedICS(c.ctx, token)
				return file{name: "parkos.ics", data: data}, err
			}},
		{Method: "GET", Pattern: "/api/v1/enterprises/{id}/charges", Tag: "facilities", Summary: "企业的设施使用费用 / An enterprise's facility charges",
			Response: []booking.Charge{}, handle: func(c *call) (any, error) { return sv.Bookings.Charges(c.ctx, c.scope, c.id()) }},
	}
}
