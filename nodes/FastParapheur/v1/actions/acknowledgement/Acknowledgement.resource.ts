import { remainingOperationProperty, remainingOperations } from '../remaining';

export const operations = remainingOperations('acknowledgement');

export const description = [remainingOperationProperty('acknowledgement'), ...Object.values(operations).flatMap((operation) => operation.description)];
