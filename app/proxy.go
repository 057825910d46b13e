package app

import (
	"net"

	"github.com/labstack/echo/v4"
)

// ipExtractor returns the client address: the peer's, unless trusted reverse proxies are
// configured, in which case X-Forwarded-For is read back to the first untrusted hop. echo's
// default would believe any X-Forwarded-For, which a client can forge.
func ipExtractor(trusted []string) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, cidr := range trusted {
		if _, n, err := net.ParseCIDR(cidr); err == nil {
			opts = append(opts, echo.TrustIPRange(n))
		}
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
