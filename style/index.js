import './base.css';
import './results.css';
import './bookmark-dialog.css';
import './hunts.css';
import './process-tree.css';
