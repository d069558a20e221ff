package llproxy

import (
	"context"
	"errors"
	"fmt"
	"os"

	"fragmenteditor/backend/atomicfile"
	"fragmenteditor/backend/config"
)

// ConfigText returns the config file as it is on disk (api keys
// included: it is the user's own file, shown in their editor).
func (s *Service) ConfigText() (string, error) {
	data, err := os.ReadFile(s.opts.ConfigPath)
	if err != nil {
		return "", fmt.Errorf("read config: %w", err)
	}
	return string(data), nil
}

// ValidateConfigText checks text as the loader would, for validation as
// the user types. Nil means valid.
func (s *Service) ValidateConfigText(text string) []config.Problem {
	_, err := config.Parse([]byte(text))
	if err == nil {
		return nil
	}
	if problems := ConfigProblems(err); len(problems) > 0 {
		return problems
	}
	return []config.Problem{{Message: err.Error()}}
}

// SaveConfigText validates text (an invalid text is returned as a
// *ConfigError carrying every problem, and nothing is written), writes it
// atomically to the config file, and applies it when running. If the
// apply fails (say the new port is taken) the file keeps the new text,
// the previous config keeps running, and the error is returned.
func (s *Service) SaveConfigText(text string) error {
	cfg, err := config.Parse([]byte(text))
	if err != nil {
		return &ConfigError{Path: s.opts.ConfigPath, Err: err}
	}
	if err := writeFileAtomic(s.opts.ConfigPath, []byte(text)); err != nil {
		return err
	}
	s.log.Info("config saved", "path", s.opts.ConfigPath)
	if err := s.Apply(cfg); err != nil && !errors.Is(err, ErrNotRunning) {
		return err
	}
	return nil
}

// writeFileAtomic replaces path (following a symlink to its target) with
// data. A new file is private (0600): it may hold api keys; an existing
// file keeps its mode.
func writeFileAtomic(path string, data []byte) error {
	if err := atomicfile.Write(path, data, 0o600); err != nil {
		return fmt.Errorf("save config: %w", err)
	}
	return nil
}

// SaveConfigTextAndStart is SaveConfigText, then Start on ctx when the
// service is not running (say its port was taken at start): the proxy
// panel's Save.
func (s *Service) SaveConfigTextAndStart(ctx context.Context, text string) error {
	if err := s.SaveConfigText(text); err != nil {
		return err
	}
	if s.Status().Running {
		return nil
	}
	return s.Start(ctx)
}
