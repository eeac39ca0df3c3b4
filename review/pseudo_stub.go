package review

// eventHash stands in for Event.Hash until the store's hash chain (harden)
// reaches main.
func eventHash(e Event) string { return "" }

// clearHash stands in for e.Hash = "" until Event.Hash reaches main.
func clearHash(e *Event) {}
