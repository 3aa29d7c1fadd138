/** The dashboard screens, one lazy chunk: the editor and the wall are not part of the main bundle. */
export { DashboardScreen } from './dashboard-screen';
export { DashboardEditor } from './dashboard-editor';
export { DashboardsList } from './dashboards-list';
export { WallScreen } from '../wall/wall-screen';
export { PlaylistEditor, PlaylistsList } from './playlist-editor';
