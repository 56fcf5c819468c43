package main

import "testing"

func TestGarbageCollectorTargetIs400UnlessGOGCIsSet(t *testing.T) {
	unset := func(string) (string, bool) { return "", false }
	if percent, ok := gcPercent(unset); !ok || percent != 400 {
		t.Fatalf("GOGC unset: got %d, %v; want 400, true", percent, ok)
	}
	for _, value := range []string{"100", "off", ""} {
		set := func(name string) (string, bool) { return value, name == "GOGC" }
		if percent, ok := gcPercent(set); ok {
			t.Fatalf("GOGC=%q: the server set %d over the environment's choice", value, percent)
		}
	}
}
