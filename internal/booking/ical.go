package booking

import (
	"bytes"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/civil"
)

// Event is one entry of a calendar feed.
type Event struct {
	UID         string
	Start, End  time.Time
	Summary     string
	Description string
	Location    string
	Tentative   bool
	Stamp       time.Time
}

// ICS writes events as an iCalendar (RFC 5545) document: CRLF line ends, lines folded at 75
// octets, text escaped, times local to Asia/Shanghai with the zone defined in the document.
func ICS(name string, events []Event) []byte {
	var b bytes.Buffer
	line := func(s string) { fold(&b, s) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//ParkOS//Shared facilities//ZH")
	line("CALSCALE:GREGORIAN")
	line("X-WR-CALNAME:" + escapeText(name))
	line("X-WR-TIMEZONE:Asia/Shanghai")
	line("BEGIN:VTIMEZONE")
	line("TZID:Asia/Shanghai")
	line("BEGIN:STANDARD")
	line("DTSTART:19700101T000000")
	line("TZOFFSETFROM:+0800")
	line("TZOFFSETTO:+0800")
	line("TZNAME:CST")
	line("END:STANDARD")
	line("END:VTIMEZONE")
	for _, e := range events {
		line("BEGIN:VEVENT")
		line("UID:" + e.UID)
		line("DTSTAMP:" + e.Stamp.UTC().Format("20060102T150405Z"))
		line("DTSTART;TZID=Asia/Shanghai:" + e.Start.In(civil.Shanghai).Format("20060102T150405"))
		line("DTEND;TZID=Asia/Shanghai:" + e.End.In(civil.Shanghai).Format("20060102T150405"))
		line("SUMMARY:" + escapeText(e.Summary))
		if e.Location != "" {
			line("LOCATION:" + escapeText(e.Location))
		}
		if e.Description != "" {
			line("DESCRIPTION:" + escapeText(e.Description))
		}
		if e.Tentative {
			line("STATUS:TENTATIVE")
		} else {
			line("STATUS:CONFIRMED")
		}
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return b.Bytes()
}

// escapeText escapes a TEXT value (RFC 5545 §3.3.11).
func escapeText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// fold writes a content line folded at 75 octets, never inside a UTF-8 character (§3.1).
func fold(b *bytes.Buffer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && s[cut]&0xC0 == 0x80 { // a continuation byte: back to the rune's start
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space of a continuation line counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
