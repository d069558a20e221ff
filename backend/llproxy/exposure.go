package llproxy

import (
	"fmt"
	"net"
	"strconv"

	"fragmenteditor/backend/access"
	"fragmenteditor/backend/config"
)

// exposureWarning is the warning for a config that serves the network
// without keys: "" when it binds to loopback only or sets api_keys.
func exposureWarning(cfg *config.Config) string {
	if len(cfg.APIKeys) > 0 || access.IsLoopbackBind(cfg.Host) {
		return ""
	}
	return fmt.Sprintf("listening on %s without api_keys: anyone who can reach this address can use the models "+
		"(set api_keys in the config, or bind to 127.0.0.1)", net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)))
}
