// Record ids are UUID version 7: they sort in the order they were made (within this process,
// strictly, even within one millisecond), so "order by id" is "order of events".
import { v7 as uuidv7 } from 'uuid';

export const newId = (): string => uuidv7();
