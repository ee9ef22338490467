import './base.css';
import './results.css';
import './bookmark-dialog.css';
import './hunts.css';
import './views.css';
import './process-tree.css';
import './entity-graph.css';
