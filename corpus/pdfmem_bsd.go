//go:build darwin || freebsd || netbsd || openbsd

package corpus

const mapNoReserve = 0
