/** Messages per inbox page (the API's default page size; kept here so client code needs no zod). */
export const INBOX_PAGE_SIZE = 50;
