package civil

import "time"

// Clock tells what day it is. Services, the store and the channels take one clock, made once
// where the program is wired, so that tests choose the day and every layer agrees on it.
type Clock interface {
	Today() Date
}

// SystemClock is the real day in Asia/Shanghai.
type SystemClock struct{}

// Today is the current day in Asia/Shanghai.
func (SystemClock) Today() Date { return FromTime(time.Now()) }

// FixedClock is always the same day: for tests and for reproducible data sets.
type FixedClock Date

// Today is the fixed day.
func (c FixedClock) Today() Date { return Date(c) }
