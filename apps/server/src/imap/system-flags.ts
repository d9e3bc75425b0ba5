// IMAP system flags as stored in mailbox_messages.flags (IMAP spelling, leading backslash).
export const SEEN = '\\Seen';
export const DELETED = '\\Deleted';
export const RECENT = '\\Recent';
