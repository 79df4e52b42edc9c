package billetterie

import "time"

// RenameShow changes a show's title as a box-office user would, and marks
// it modified now so the next filtre=1&date_modif= pull carries it.
func (s *Server) RenameShow(id, title string) bool {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	sh := s.showByID[id]
	if sh == nil {
		return false
	}
	sh.title = title
	sh.modified = now.Truncate(time.Second)
	return true
}
