package api

import (
	"net/http"

	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/page"
)

func (s *Server) noticeRoutes() []route {
	sv := s.svc
	return []route{
		{Method: "GET", Pattern: "/api/v1/notifications", Tag: "notifications", Summary: "我的通知（最新在前） / Your notifications, newest first",
			Query: []param{pageParams[0], pageParams[1]}, Response: page.Page[notify.Notification]{}, handle: func(c *call) (any, error) {
				req := c.q.Page()
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Notices.Inbox(c.ctx, c.scope, req)
			}},
		{Method: "POST", Pattern: "/api/v1/notifications/{id}/read", Tag: "notifications", Summary: "标为已读 / Mark read",
			Status: http.StatusNoContent, handle: func(c *call) (any, error) { return nil, sv.Notices.Read(c.ctx, c.scope, c.id()) }},
		{Method: "GET", Pattern: "/api/v1/me/notification-preferences", Fresh: true, Tag: "notifications",
			Summary: "通知渠道偏好（站内通知总是开启） / Notification channels by kind (in-app is always on)", Response: []notify.Preference{},
			handle: func(c *call) (any, error) { return sv.Notices.Preferences(c.ctx, c.scope) }},
		{Method: "PUT", Pattern: "/api/v1/me/notification-preferences", Tag: "notifications", Summary: "设置通知渠道 / Set notification channels",
			Body: notify.PreferenceChange{}, Response: []notify.Preference{}, handle: func(c *call) (any, error) {
				var in notify.PreferenceChange
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Notices.SetPreferences(c.ctx, c.scope, in.Preferences)
			}},
		{Method: "GET", Pattern: "/api/v1/parks/{id}/webhooks", Tag: "notifications", Summary: "园区群机器人 / A park's group robots",
			Response: []notify.Webhook{}, handle: func(c *call) (any, error) { return sv.Notices.Webhooks(c.ctx, c.scope, c.id()) }},
		{Method: "POST", Pattern: "/api/v1/parks/{id}/webhooks", Tag: "notifications",
			Summary: "添加园区群机器人（企业微信、钉钉、飞书） / Add a group robot (WeCom, DingTalk, Feishu) to a park",
			Body:    notify.NewWebhook{}, Response: notify.Webhook{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in notify.NewWebhook
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Notices.AddWebhook(c.ctx, c.scope, c.id(), in)
			}},
	}
}
