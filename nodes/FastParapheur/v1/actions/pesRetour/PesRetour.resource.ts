import { remainingOperationProperty, remainingOperations } from '../remaining';

export const operations = remainingOperations('pesRetour');

export const description = [remainingOperationProperty('pesRetour'), ...Object.values(operations).flatMap((operation) => operation.description)];
