package civil

import "time"

// Clock tells what day it is. Services, the store and the channels take one clock, made once
// where the program is wired, so that tests choose the day and every layer agrees on it.
type Clock interface {
	Today() Date
	// Now is the instant, for timestamps such as a lead's last activity.
	Now() time.Time
}

// SystemClock is the real day in Asia/Shanghai.
type SystemClock struct{}

// Today is the current day in Asia/Shanghai.
func (SystemClock) Today() Date { return FromTime(time.Now()) }

// Now is the current instant in UTC, to the microsecond both engines keep.
func (SystemClock) Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// FixedClock is always the same day: for tests and for reproducible data sets.
type FixedClock Date

// Today is the fixed day.
func (c FixedClock) Today() Date { return Date(c) }

// Now is noon of the fixed day in Asia/Shanghai.
func (c FixedClock) Now() time.Time {
	d := Date(c).t
	return time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, Shanghai).UTC()
}
