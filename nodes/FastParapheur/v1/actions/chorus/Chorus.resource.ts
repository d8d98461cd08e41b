import { remainingOperationProperty, remainingOperations } from '../remaining';

export const operations = remainingOperations('chorus');

export const description = [remainingOperationProperty('chorus'), ...Object.values(operations).flatMap((operation) => operation.description)];
