/** The plugin's admin API, as the pages read it: the shapes and paths the server's contracts define. */
export {
  ADMIN_API as adminApi,
  type DashboardRound as Round,
  type EventDashboard,
  type EventListItem,
  type EventPhase,
  type RoundNotifications,
  type RoundState,
  type Standings,
  type StandingsEntry,
  type SuspiciousActivity,
  type SuspiciousKind,
} from '../../shared/contracts';
