/** The API's shapes as the UI uses them (docs/design.md, "HTTP API"). */
export type Status = 'todo' | 'in_progress' | 'done';
export type Priority = 'low' | 'medium' | 'high';

export interface Task {
  id: string;
  title: string;
  description?: string;
  status: Status;
  priority: Priority;
  dueAt?: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Attachment {
  id: string;
  taskId: string;
  filename: string;
  contentType: string;
  size: number;
  createdAt: string;
  downloadUrl?: string;
}

export interface Stats {
  total: number;
  byStatus: Record<Status, number>;
}

export const STATUSES: { value: Status; label: string }[] = [
  { value: 'todo', label: 'To do' },
  { value: 'in_progress', label: 'In progress' },
  { value: 'done', label: 'Done' },
];
export const PRIORITIES: Priority[] = ['low', 'medium', 'high'];
